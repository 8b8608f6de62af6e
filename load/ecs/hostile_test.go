package ecs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
		// 2^64+22 and 2^32+22 are not port 22: integers are compared exactly.
		{"huge ports", `{"containerDefinitions": [{"name": "a", "readonlyRootFilesystem": true, "portMappings": [{"containerPort": 18446744073709551638}, {"containerPort": 4294967318}, {"hostPort": 22.0}]}]}`, nil},
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

// TestCorpus loads the 30 task definitions of the corpus (AWS's FireLens
// examples). None is rejected: the expected-rejected list is empty. The
// finding counts are facts of the corpus: 62 containers, none pinned by
// digest or with a read-only root, 36 on an implicit latest tag, 2 with a
// health check.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files := loadtest.Corpus{Dir: "ecs", AtLeast: 30, Load: Load}.Run(t)
	for _, f := range files {
		if len(f.Problems) > 0 {
			t.Errorf("%s: %v", f.Path, f.Problems)
		}
		if len(f.Workloads) == 0 || len(f.Workloads[0].Containers) == 0 {
			t.Errorf("%s: no containers loaded", f.Path)
		}
	}
	want := map[string]int{"image-not-pinned": 62, "writable-root-filesystem": 62, "image-latest-tag": 36, "missing-health-probe": 60}
	if diff := cmp.Diff(want, loadtest.FindingCounts(t, files)); diff != "" {
		t.Errorf("finding counts (-want +got):\n%s", diff)
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

// TestExactIntegers checks that port numbers are compared exactly: 2^64+22
// does not wrap to 22, 2^32+22 is not 22, and 22.0 is not an integer port.
func TestExactIntegers(t *testing.T) {
	t.Parallel()
	doc := `{"containerDefinitions": [{"name": "a", "portMappings": [{"containerPort": 18446744073709551638}, {"containerPort": 4294967318}, {"hostPort": 22.0}, {"containerPort": 9007199254740993}]}]}`
	f := Load("x.json", []byte(doc))
	var ports []int
	for _, p := range f.Workloads[0].Containers[0].Ports {
		ports = append(ports, p.Number)
	}
	if len(ports) != 2 || ports[0] != 4294967318 || ports[1] != 9007199254740993 {
		t.Errorf("ports = %v, want [4294967318 9007199254740993]", ports)
	}
	for _, fd := range loadtest.Findings(t, f) {
		if strings.HasPrefix(fd, "ssh-access") {
			t.Errorf("unexpected %s", fd)
		}
	}
}

// TestPorts checks that a mapping of 22 to 22 is one port, and that a
// bridge-mode mapping of host port 22 to another container port counts.
func TestPorts(t *testing.T) {
	t.Parallel()
	doc := `{"containerDefinitions": [{"name": "a", "portMappings": [
  {"containerPort": 22, "hostPort": 22},
  {"containerPort": 8080, "hostPort": 22, "protocol": "udp"}]}]}`
	var got []string
	for _, p := range Load("x.json", []byte(doc)).Workloads[0].Containers[0].Ports {
		got = append(got, fmt.Sprintf("%d/%s:%d", p.Number, p.Protocol, p.Location.Line))
	}
	if diff := cmp.Diff([]string{"22/:2", "8080/udp:3", "22/udp:3"}, got); diff != "" {
		t.Errorf("ports (-want +got):\n%s", diff)
	}
}
