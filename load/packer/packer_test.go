package packer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	loadtest.WantFixtures(t, Load, map[string][]string{
		"bad.pkr.hcl": {
			"base-image-not-pinned:13", // source_ami_filter most_recent
			"base-image-not-pinned:21", // source_image_family
			"base-image-not-pinned:26", "image-latest-tag:26",
			// puppet-agent install and salt-minion enable, on each of the
			// three sources
			"config-management-agent:34", "config-management-agent:34", "config-management-agent:34",
			"config-management-agent:34", "config-management-agent:34", "config-management-agent:34",
		},
		"good.pkr.hcl": nil,
		"bad.json": {
			"base-image-not-pinned:10",
			"base-image-not-pinned:18",
			"config-management-agent:26", "config-management-agent:26",
		},
		"good.json": nil,
	})
}

// TestBuildAcrossFiles checks that a build whose sources are declared in
// another file of the directory still has its provisioners checked, and
// that a source block inside build refers to a declared source.
func TestBuildAcrossFiles(t *testing.T) {
	t.Parallel()
	doc := `build {
  sources = ["source.amazon-ebs.web"]
  source "amazon-ebs.web" {
    name = "web-eu"
  }
  source "source.docker.app" {}
  provisioner "shell" {
    inline = ["systemctl enable puppet"]
  }
}
`
	f := Load("build.pkr.hcl", []byte(doc))
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems)
	}
	var names []string
	for _, b := range f.Builds {
		names = append(names, b.Name)
		if len(b.Steps) != 1 {
			t.Errorf("%s: %d steps, want 1", b.Name, len(b.Steps))
		}
	}
	if diff := cmp.Diff([]string{"amazon-ebs.web", "docker.app"}, names); diff != "" {
		t.Errorf("builds (-want +got):\n%s", diff)
	}
}
