package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
)

func TestSniffSpecs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data string
		want       Kind
	}{
		{"task.json", `{"family": "web", "containerDefinitions": []}`, ECS},
		{"describe.json", `{"taskDefinition": {"containerDefinitions": []}}`, ECS},
		{"service.json", `{"serviceName": "web", "taskDefinition": "web:1"}`, ECS},
		{"services.json", `{"services": [{"serviceName": "web", "deploymentConfiguration": {}}]}`, ECS},
		{"job.json", `{"Job": {"ID": "x", "TaskGroups": []}}`, Nomad},
		{"job.hcl", "# comment\njob \"web\" {\n}\n", Nomad},
		{"web.nomad", "anything", Nomad},
		{"web.nomad.hcl", "anything", Nomad},
		{"template.json", `{"builders": [{"type": "docker"}]}`, Packer},
		{"web.pkr.hcl", "anything", Packer},
		{"web.pkr.json", "anything", Packer},
		{"image.hcl", "source \"docker\" \"x\" {}\nbuild {\n}\n", Packer},
		{"preview.json", "{\n  \"steps\": [],\n  \"changeSummary\": {}\n}", Pulumi},
		{"unchanged.json", "{\n  \"duration\": 1200000000,\n  \"changeSummary\": {\"same\": 3}\n}", Pulumi},
		{"events.json", "{\"sequence\":0,\"timestamp\":0,\"preludeEvent\":{\"config\":{}}}\n{\"sequence\":1}\n", Pulumi},
		{"compose.json", `{"services": {"web": {"image": "nginx"}}}`, Compose},
		{"vault.hcl", "storage \"file\" {\n}\n", Unknown},
		{"pod.json", `{"apiVersion": "v1", "kind": "Pod"}`, Manifest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, maybe := kindOfName(tt.name)
			if k == Unknown && maybe {
				k = sniff([]byte(tt.data))
			}
			if k != tt.want {
				t.Errorf("kind = %v, want %v", k, tt.want)
			}
		})
	}
}

// TestSniffSpecsCorpus checks that every corpus file of the spec formats is
// recognised as its format from its name and content, as a directory walk
// would see it.
func TestSniffSpecsCorpus(t *testing.T) {
	t.Parallel()
	for dir, want := range map[string]Kind{"ecs": ECS, "nomad": Nomad, "packer": Packer, "pulumi": Pulumi} {
		for _, path := range corpus.Files(t, dir) {
			k, maybe := kindOfName(path)
			if k == Unknown && maybe {
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				k = sniff(data)
			}
			if k != want {
				t.Errorf("%s: kind = %v, want %v", filepath.Base(path), k, want)
			}
		}
	}
}
