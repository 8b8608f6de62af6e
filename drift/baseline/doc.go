// Package baseline stores a drift.Snapshot as a compact, signed file.
//
// A baseline file is the 8-byte magic "ICBASE\x00" plus a format version
// byte (2), a gzip stream of the payload, and the SHA-256 of everything
// before it. The payload is a JSON header (format version, source, image
// digest, tool version, creation time, generation), then the entries in
// drift.Less order, front-coded and binary, each behind a tag byte, an end
// tag, and the JSON package and account databases: a Writer writes it and a
// Reader reads it one entry at a time. Version 1 (metadata first, counted
// entries) is refused with ErrFormat.
// Any truncation or bit flip fails the checksum and the file is refused; a
// baseline is never read as "everything new" or "no drift".
//
// Signatures are detached (FILE.sig), base64 like cosign's sign-blob
// output: ed25519 over the file's bytes, or ECDSA P-256 over their SHA-256,
// so a baseline signed with `cosign sign-blob --key cosign.key` verifies
// with cosign.pub. The generation number in the signed header is checked
// against a state file to refuse an older, validly signed baseline
// substituted for the current one. Open verifies all of it in one
// streaming pass and decodes the entries in a second one that must hash to
// the same bytes, so neither the file nor its entries are held in memory.
package baseline
