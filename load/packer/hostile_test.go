package packer

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "t.pkr.hcl", Load, []loadtest.Reject{
		{Name: "hcl syntax", Doc: "source \"docker\" \"x\" {\n  image = \n}", Want: "parse packer template", Line: 2},
		{Name: "source labels", Doc: "source \"docker\" {\n}", Want: "type and a name label", Line: 0},
		{Name: "json no builders", Doc: `{"provisioners": []}`, Want: "no builders array", Line: 0},
		{Name: "json trailing", Doc: "{\"builders\": []}\n]", Want: "trailing data", Line: 2},
		{Name: "json deep", Doc: "{\"builders\": " + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + "}", Want: "nesting deeper", Line: 1},
	})
}

// TestCorpus loads every Packer template of the corpus. None may be
// rejected; the image-builder config.pkr.hcl files only declare plugins, so
// they yield no builds.
func TestCorpus(t *testing.T) {
	t.Parallel()
	var builds, queries int
	for _, f := range (loadtest.Corpus{Dir: "packer", Load: Load}).Run(t) {
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
