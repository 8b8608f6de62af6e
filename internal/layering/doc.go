// Package layering holds only a test: the fences between the packages of
// this module (loaders build the model and nothing else, rules read only
// the model, sources never decide or render, only main runs the
// commands), checked against the import graph that go list reports.
package layering
