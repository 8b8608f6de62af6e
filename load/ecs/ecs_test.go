package ecs

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
		{"bad-task.json", []string{
			"privileged-instance:3", // networkMode host
			"host-path-volume:15",
			"image-latest-tag:7", "image-not-pinned:7",
			"privileged-instance:8",
			"ssh-access:9",
			"runtime-package-install:10",
			"missing-health-probe:5", "writable-root-filesystem:5",
		}},
		{"good-task.json", nil},
		{"bad-service.json", []string{"no-automatic-rollback:9"}},
		{"good-service.json", nil},
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
