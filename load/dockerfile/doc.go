// Package dockerfile loads Dockerfiles and Containerfiles into a model.Build.
//
// Parsing is BuildKit's own (frontend/dockerfile/parser and instructions),
// so the instruction list is the one the builder sees: line continuations,
// the "# escape=" directive, heredocs and instruction flags are handled
// exactly as by `docker build`. On top of that the loader:
//
//   - substitutes the defaults of global ARGs (those declared before the
//     first FROM) into FROM image references; an ARG without a default may
//     be set with --build-arg, which is not known here, so it stays written
//     as ${NAME} and the reference cannot be checked;
//   - lists every stage's base image except "scratch" and earlier stages;
//   - lists RUN steps of every stage (a heredoc body is the script) and
//     ADD downloads of URLs and Git repositories with their --checksum;
//   - resolves the image's start command (ENTRYPOINT and CMD) and exposed
//     ports through the chain of stages the final stage is built FROM;
//     ONBUILD instructions, which run in other builds, are not read;
//   - reads "# immutcheck:ignore <rule>[,<rule>] <reason>" comments written
//     above an instruction.
//
// Input that the builder would reject, and a few inputs it accepts but that
// are almost certainly damaged (a byte-order mark, NUL bytes, a line
// continuation at the end of the file, more than MaxBytes), become a
// model.Rejected problem with the line where known. The loader never panics
// on any input.
package dockerfile
