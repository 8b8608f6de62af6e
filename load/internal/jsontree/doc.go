// Package jsontree parses JSON strictly into a small tree that remembers the
// line of every value, so that loaders can point findings at file:line.
//
// The standard library decodes the tokens; this package adds what it lacks
// for untrusted declarations: line numbers, rejection of duplicate keys (a
// parser differential: other consumers keep the first or the last), a
// nesting bound, and rejection of trailing data. Numbers keep their literal
// text, so integers beyond 2^53 are never rounded.
package jsontree
