package packer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string
	}{
		{"bad.pkr.hcl", []string{
			"base-image-not-pinned:13", // source_ami_filter most_recent
			"base-image-not-pinned:21", // source_image_family
			"base-image-not-pinned:26", "image-latest-tag:26",
			// puppet-agent install and salt-minion enable, on each of the
			// three sources
			"config-management-agent:34", "config-management-agent:34", "config-management-agent:34",
			"config-management-agent:34", "config-management-agent:34", "config-management-agent:34",
		}},
		{"good.pkr.hcl", nil},
		{"bad.json", []string{
			"base-image-not-pinned:10",
			"base-image-not-pinned:18",
			"config-management-agent:26", "config-management-agent:26",
		}},
		{"good.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := loadtest.Findings(t, Load(tt.file, data))
			if diff := cmp.Diff(loadtest.Sorted(tt.want), got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
