package packer

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"hcl syntax", "source \"docker\" \"x\" {\n  image = \n}", "parse packer template", 2},
		{"source labels", "source \"docker\" {\n}", "type and a name label", 0},
		{"json no builders", `{"provisioners": []}`, "no builders array", 0},
		{"json trailing", "{\"builders\": []}\n]", "trailing data", 2},
		{"json deep", "{\"builders\": " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "}", "nesting deeper", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loadtest.WantRejected(t, Load("t.pkr.hcl", []byte(tt.doc)), tt.want, tt.line)
		})
	}
}

// TestCorpus loads every Packer template of the corpus. None may be
// rejected; the image-builder config.pkr.hcl files only declare plugins, so
// they yield no builds.
func TestCorpus(t *testing.T) {
	t.Parallel()
	var builds, queries int
	for _, path := range corpus.Files(t, "packer") {
		f := Load(path, loadtest.Read(t, path))
		if rej := loadtest.Rejected(f); len(rej) > 0 {
			t.Errorf("%s: rejected at %v: %v", filepath.Base(path), rej[0].Location, rej[0].Err)
		}
		for _, b := range f.Builds {
			builds++
			for _, m := range b.MachineImages {
				if m.Query {
					queries++
				}
			}
		}
		_ = loadtest.Findings(t, f)
	}
	// Facts of the corpus: the 9 JSON templates have one builder each and
	// the one HCL template with sources has one; 6 pick their machine image
	// at build time (AMI filters with most_recent, a GCE image family, Azure
	// images without a version).
	if builds != 10 || queries != 6 {
		t.Errorf("builds = %d, machine images chosen by query = %d; want 10 and 6", builds, queries)
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"source \"amazon-ebs\" \"a\" {\n source_ami_filter { most_recent = true }\n}\nbuild { sources = [\"source.amazon-ebs.a\"]\n provisioner \"shell\" { inline = [\"systemctl enable puppet\"] } }",
		`{"builders":[{"type":"docker","image":"x"}],"provisioners":[{"type":"shell","inline":["a"],"only":["docker"]}]}`,
		"source \"docker\" \"d\" { image = local.i }\nlocals { i = \"${local.i}\" }",
		"{", "build {", `{"builders":[1,{"type":null}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = loadtest.Findings(t, Load("fuzz.pkr.hcl", data))
	})
}
