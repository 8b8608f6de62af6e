// Package loadtest holds what loader tests share, so that each loader's
// test keeps only what is its own: reading inputs, running the rule
// catalog over a loaded file, the fixture table of testdata files and
// their findings, the table of inputs that must be rejected, golden files,
// and loading a folder of the shared corpus of real-world inputs (located
// by package internal/corpus). It is imported only by tests.
package loadtest
