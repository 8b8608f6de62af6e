package load

import (
	"bytes"
	"path/filepath"
	"strings"
)

// Kind is the format of an input, decided from its name and, for generic
// YAML and JSON, its content.
type Kind int

// The kinds of input.
const (
	Unknown Kind = iota
	Manifest
	HelmChart
	Kustomization
	Dockerfile
	Compose
	// Infrastructure as code (see sniff_iac.go).
	TerraformPlan
	TerraformConfig
	CloudFormation
	// Deployment specs and previews (see sniff_specs.go).
	ECS
	Nomad
	Packer
	Pulumi
)

var kindNames = [...]string{"unknown", "kubernetes", "helm", "kustomize", "dockerfile", "compose", "terraform-plan", "terraform", "cloudformation", "ecs", "nomad", "packer", "pulumi"}

func (k Kind) String() string { return kindNames[k] }

// kindOfName decides the kind of a file from its name alone; Unknown means
// the content must decide (or the file is not a declaration).
func kindOfName(name string) (k Kind, maybe bool) {
	base := filepath.Base(name)
	lower := strings.ToLower(base)
	ext := strings.ToLower(filepath.Ext(base))
	if k, maybe, ok := specKindOfName(lower); ok {
		return k, maybe
	}
	switch {
	case strings.Contains(lower, "dockerfile") && !isOtherExt(ext), strings.HasPrefix(lower, "containerfile"):
		return Dockerfile, false
	case (lower == "compose.yaml" || lower == "compose.yml" || strings.HasPrefix(lower, "docker-compose") || strings.HasPrefix(lower, "compose.")) && (ext == ".yaml" || ext == ".yml"):
		return Compose, false
	case ext == ".tf" || ext == ".tofu":
		return TerraformConfig, false
	case ext == ".yaml" || ext == ".yml" || ext == ".json":
		return Unknown, true
	}
	return Unknown, false
}

// isOtherExt reports extensions that mean a file named after Dockerfiles is
// something else (Dockerfile.md, dockerfile_test.go, .dockerignore).
func isOtherExt(ext string) bool {
	switch ext {
	case ".md", ".go", ".txt", ".json", ".yaml", ".yml", ".sh", ".py", ".rst", ".j2", ".tpl", ".tmpl", ".bak", ".orig":
		return true
	}
	return false
}

// sniff decides the kind of a YAML or JSON document from its content: a
// compose file has top-level "services" and no "kind"; a manifest has
// "apiVersion" or "kind". This only picks the decoder; the decoder is strict.
func sniff(data []byte) Kind {
	if k := sniffIaC(data); k != Unknown {
		return k
	}
	if k := sniffSpecs(data); k != Unknown {
		return k
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		switch {
		case bytes.Contains(data, []byte(`"kind"`)) || bytes.Contains(data, []byte(`"apiVersion"`)):
			return Manifest
		case bytes.Contains(data, []byte(`"services"`)):
			return Compose
		}
		return Unknown
	}
	var kind, api, services bool
	for _, line := range bytes.Split(data, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte("kind:")):
			kind = true
		case bytes.HasPrefix(line, []byte("apiVersion:")):
			api = true
		case bytes.HasPrefix(line, []byte("services:")):
			services = true
		case bytes.HasPrefix(line, []byte("FROM ")) || bytes.HasPrefix(line, []byte("from ")):
			if !kind && !api && !services {
				return Dockerfile
			}
		}
	}
	switch {
	case kind || api:
		return Manifest
	case services:
		return Compose
	}
	return Unknown
}
