// Package loadtest holds what loader tests share: locating the corpus of
// real-world inputs, and running the rule catalog over a loaded file. It is
// imported only by tests.
package loadtest
