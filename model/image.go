package model

// ImageCheck is what a registry said about one declared image: the facts
// the registry rules (image-digest-not-found, tag-moved, image-unsigned,
// signature-invalid, provenance, vulnerability scan and rollback rules)
// judge. Package registry fills it; it never decides.
type ImageCheck struct {
	// Artifact is the image as declared, with where it was declared.
	Artifact Artifact
	// Subject names what the findings are about, e.g. "image
	// ghcr.io/acme/web:1.4"; "" means "image " + Artifact.Ref.
	Subject string
	// Object is the Kubernetes object that declares the image, when known.
	Object *ObjectRef
}
