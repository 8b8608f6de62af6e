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
// turns the changes into findings of the drift rules of the catalog.
//
// The walk follows the project's guarantee for live trees: it never follows a
// symbolic link, opens files relative to their directory with O_NOFOLLOW and
// O_NONBLOCK, checks that what it opened is what it listed, hashes only
// regular files, hashes each hard-linked inode once, stays on the root's
// filesystem by default, and records what it could not read. A snapshot with
// unreadable or raced entries is incomplete, and an incomplete comparison is
// never reported as clean.
package drift
