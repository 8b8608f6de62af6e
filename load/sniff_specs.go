package load

import (
	"bytes"
	"strings"
)

// specKindOfName recognises deployment-spec files by name: Packer
// templates (*.pkr.hcl, *.pkr.json) and Nomad jobs (*.nomad,
// *.nomad.hcl). Other *.hcl files are decided by content.
func specKindOfName(lower string) (k Kind, maybe, ok bool) {
	switch {
	case strings.HasSuffix(lower, ".pkr.hcl"), strings.HasSuffix(lower, ".pkr.json"):
		return Packer, false, true
	case strings.HasSuffix(lower, ".nomad"), strings.HasSuffix(lower, ".nomad.hcl"):
		return Nomad, false, true
	case strings.HasSuffix(lower, ".hcl"):
		return Unknown, true, true
	}
	return Unknown, false, false
}

// sniffSpecs recognises deployment specs and previews by content. It runs
// before the Kubernetes and compose checks, since an ECS service listing
// has "services" and Nomad JSON may hold "kind"-like keys:
//
//   - a Pulumi preview (JSON) has "changeSummary" and "steps" (left out when
//     nothing changes, then "duration" or "diagnostics"); an engine
//     event log starts with a one-line event holding "sequence" and an
//     event field;
//   - an ECS task definition has "containerDefinitions"; a service
//     definition "serviceName";
//   - a Nomad JSON job has "TaskGroups"; an HCL job a top-level `job "`;
//   - a legacy Packer template has "builders"; an HCL one a top-level
//     `source "` or `build {`.
func sniffSpecs(data []byte) Kind {
	trimmed := bytes.TrimSpace(data)
	has := func(s string) bool { return bytes.Contains(data, []byte(s)) }
	if len(trimmed) > 0 && trimmed[0] == '{' {
		first, _, _ := bytes.Cut(trimmed, []byte("\n"))
		switch {
		case bytes.Contains(first, []byte(`"sequence"`)) && (bytes.Contains(first, []byte(`Event"`)) || bytes.Contains(first, []byte(`"timestamp"`))):
			return Pulumi
		case has(`"changeSummary"`) && (has(`"steps"`) || has(`"duration"`) || has(`"diagnostics"`)):
			return Pulumi
		case has(`"containerDefinitions"`) || (has(`"serviceName"`) && (has(`"taskDefinition"`) || has(`"deploymentConfiguration"`))):
			return ECS
		case has(`"TaskGroups"`):
			return Nomad
		case has(`"builders"`):
			return Packer
		}
		return Unknown
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte(`job "`)):
			return Nomad
		case bytes.HasPrefix(line, []byte(`source "`)), bytes.HasPrefix(line, []byte("build {")):
			return Packer
		}
	}
	return Unknown
}
