package baseline

import "time"

// FormatVersion is the version of the file format this package writes.
const FormatVersion = 2

// Header describes where a baseline came from. It is covered by the
// signature.
type Header struct {
	FormatVersion int `json:"formatVersion"`
	// Source is what the baseline was made from: a directory, an archive or
	// an image reference.
	Source string `json:"source"`
	// Digest is the image digest when the source is an image.
	Digest      string    `json:"digest,omitempty"`
	ToolVersion string    `json:"toolVersion"`
	Created     time.Time `json:"created"`
	// Generation increases with every baseline of the same signer; a
	// verifier refuses a generation lower than one it has seen.
	Generation uint64 `json:"generation"`
}
