// Package drift compares a live filesystem tree with a baseline taken from
// the image it was made from, and explains the differences in the terms an
// operator thinks in: packages installed or removed, accounts changed,
// configuration edited, permissions widened, executables added.
//
// A Snapshot is the same value whichever source produced it: a directory
// walk (Walk), a tar archive (ReadTar) or the layers of an OCI image
// (ReadLayers). Entries are kept in Less order, so two snapshots are compared
// by a single merge (Compare). A walk can also stream its entries
// (WalkOptions.Emit) into a Merger that pulls the baseline's entries from an
// EntrySource as it goes, so that neither tree is held in memory. Classify
// explains the changes as classified model.Change values, and Processes
// reads where running executables come from (model.Process); the drift
// rules of the catalog (package rules) judge both. This package never
// decides what is wrong.
//
// The walk follows the project's guarantee for live trees: it never follows a
// symbolic link, opens files relative to their directory with O_NOFOLLOW and
// O_NONBLOCK, checks that what it opened is what it listed, hashes only
// regular files, hashes each hard-linked inode once, stays on the root's
// filesystem by default, and records what it could not read. A snapshot with
// unreadable or raced entries is incomplete, and an incomplete comparison is
// never reported as clean.
//
// Where things are, by concern:
//
//   - Reading trees: walk.go, list.go, window.go and hash.go (the directory
//     walk: listing, the ordered window, hashing), tar.go (tar archives and
//     image layers), snapshot.go, entry.go, order.go (Less), collect.go and
//     accounts.go (the package and account files a snapshot parses),
//     lookup.go (finding live entries on disk for a streamed walk). The
//     baseline file format is package drift/baseline; package databases
//     drift/pkgdb.
//   - Comparing: compare.go (Compare, Comparison), merge.go (the streaming
//     Merger), ignore.go (volatile paths).
//   - Classifying: classify.go (files, permissions, folding of subtrees),
//     classify_pkg.go (packages), classify_acct.go (accounts), alias.go
//     (resolving directory symlinks of package file lists), describe.go
//     (the wording of a change), process.go (running executables).
//   - The --fast cache: fast.go (FastCache) and fast_codec.go (its file).
package drift
