// Package loadtest holds what loader tests share: reading inputs, running
// the rule catalog over a loaded file, and checking findings, rejections
// and golden files. The corpus of real-world inputs is located by package
// internal/corpus. It is imported only by tests.
package loadtest
