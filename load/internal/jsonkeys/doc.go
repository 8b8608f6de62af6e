// Package jsonkeys rejects JSON documents in which an object names a key
// twice, exactly or only differing in case.
//
// encoding/json, and so every decoder built on it (terraform-json, the
// Pulumi and CloudFormation readers), keeps the last of two equal keys and
// matches keys regardless of case, so {"actions":["update"],
// "Actions":["no-op"]} reads as a no-op while another consumer may apply
// the update. Such a document is refused with one message, wherever it is
// read: duplicate key "K" at line N (first "K" at line M).
package jsonkeys
