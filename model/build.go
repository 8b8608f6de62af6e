package model

// Build is a declaration that produces an image: a Dockerfile or
// Containerfile.
type Build struct {
	// Source names the format: "dockerfile".
	Source string
	// Name identifies the build (the file path for a Dockerfile).
	Name     string
	Location Location

	// Bases are the external images that stages start FROM, with build
	// arguments substituted. "scratch" and references to earlier stages are
	// not listed.
	Bases []Artifact
	// Fetches are remote sources the build downloads by itself (ADD <url>).
	Fetches []Fetch
	// Steps are the commands run while building (RUN).
	Steps []Command
	// Ports are the ports the final image exposes (EXPOSE).
	Ports []Port
	// Start is what the final image runs (ENTRYPOINT and CMD).
	Start []Command

	Ignores []Ignore
}

// Subject returns the human name of the build.
func (b *Build) Subject() string { return b.Name }

// Fetch is a remote download made by the build itself.
type Fetch struct {
	URL string
	// Checksum is the declared checksum, empty when none.
	Checksum string
	Location Location
}
