// Package loadtest holds what loader tests share: reading inputs, and
// running the rule catalog over a loaded file. The corpus of real-world
// inputs is located by package internal/corpus. It is imported only by
// tests.
package loadtest
