// Package dupkeys rejects JSON and YAML documents in which a mapping names
// a key twice, with one message wherever they are read.
//
// encoding/json, and so every decoder built on it (terraform-json, the
// Pulumi reader), keeps the last of two equal keys and matches keys
// regardless of case, so {"actions":["update"], "Actions":["no-op"]}
// reads as a no-op while another consumer may apply the update. A YAML
// node tree keeps both keys, and readers differ in which one they take.
// Such a document is refused: duplicate key "K" at line N (first "K" at
// line M). JSON keys are compared as encoding/json compares them, case
// folded; YAML keys exactly, as YAML readers compare them.
package dupkeys
