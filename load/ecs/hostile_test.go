package ecs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		// want is "kind:line:text" of each problem.
		want []string
	}{
		{"not an object", `["containerDefinitions"]`, []string{"rejected:1:must be a JSON object"}},
		{"neither", `{"family": "x"}`, []string{"rejected:1:not an ecs task definition"}},
		{"syntax", "{\n\"containerDefinitions\": [\n}", []string{"rejected:3:line 3"}},
		{"trailing", `{"containerDefinitions": []} {}`, []string{"rejected:1:trailing data"}},
		{"duplicate key", `{"containerDefinitions": [], "containerDefinitions": []}`, []string{"rejected:1:duplicate key"}},
		{"definitions not array", `{"containerDefinitions": {}}`, []string{"rejected:1:must be an array"}},
		{"container not object", `{"containerDefinitions": [1]}`, []string{"rejected:1:must be an object"}},
		{"image not string", `{"containerDefinitions": [{"name": "a", "image": 5}]}`, []string{"rejected:1:image must be a string"}},
		{"bool wrong type", `{"containerDefinitions": [{"name": "a", "privileged": "yes"}]}`, []string{"rejected:1:privileged must be a boolean"}},
		{"command wrong type", `{"containerDefinitions": [{"name": "a", "command": "sh -c x"}]}`, []string{"rejected:1:command must be an array"}},
		{"misspelt field", "{\"containerDefinitions\": [{\"name\": \"a\",\n\"readOnlyRootFilesystem\": true}]}", []string{"unknown:2:unknown field \"readOnlyRootFilesystem\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("x.json", []byte(tt.doc))
			if len(f.Problems) != len(tt.want) {
				t.Fatalf("got %d problems %v, want %v", len(f.Problems), f.Problems, tt.want)
			}
			for i, p := range f.Problems {
				kind := "rejected"
				if p.Kind == model.UnknownField {
					kind = "unknown"
				}
				prefix := fmt.Sprintf("%s:%d:", kind, p.Location.Line)
				want := tt.want[i]
				if !strings.HasPrefix(want, prefix) || !strings.Contains(p.Err.Error(), strings.TrimPrefix(want, prefix)) {
					t.Errorf("problem %d = %s%v, want %s", i, prefix, p.Err, want)
				}
			}
		})
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	for _, path := range loadtest.Files(t, "ecs") {
		f := Load(path, loadtest.Read(t, path))
		if rej := loadtest.Rejected(f); len(rej) > 0 {
			t.Errorf("%s: rejected: %v", path, rej[0].Err)
		}
		if len(f.Workloads) == 0 || len(f.Workloads[0].Containers) == 0 {
			t.Errorf("%s: no containers loaded", path)
		}
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"containerDefinitions":[{"name":"a","image":"nginx","privileged":true,"portMappings":[{"containerPort":22}]}]}`,
		`{"taskDefinition":{"containerDefinitions":[{"entryPoint":["sh","-c"],"command":["apt-get install x"]}]}}`,
		`{"services":[{"serviceName":"s","deploymentConfiguration":{"deploymentCircuitBreaker":{"enable":true,"rollback":"true"}}}]}`,
		`{"containerDefinitions":[{"image":"${X}"}],"volumes":[{"host":{"sourcePath":"/"}}]}`,
		`{"a":1,"a":2}`, `[[[[[[`, `{"containerDefinitions":[1,null,"x"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.json", data)
		if file == nil {
			t.Fatal("nil file")
		}
		_ = loadtest.Findings(t, file)
	})
}
