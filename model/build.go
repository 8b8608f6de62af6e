package model

// Build is a declaration that produces an image: a Dockerfile or
// Containerfile.
type Build struct {
	// Source names the format: "dockerfile", "packer".
	Source string
	// Name identifies the build (the file path for a Dockerfile).
	Name     string
	Location Location

	// Bases are the external images that stages start FROM, with build
	// arguments substituted. "scratch" and references to earlier stages are
	// not listed.
	Bases []Artifact
	// MachineImages are the machine images a Packer source starts from.
	MachineImages []MachineImage
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

// MachineImage is the machine image a VM image build starts from.
type MachineImage struct {
	// Field is the setting that names it: "source_ami", "source_ami_filter",
	// "source_image", "source_image_family", ...
	Field string
	// Value is the image ID or the selector as written.
	Value string
	// Query is true when the image is chosen at build time by a filter or
	// family (e.g. most_recent = true) rather than named by a fixed ID.
	Query    bool
	Location Location
}
