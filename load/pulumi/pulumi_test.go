package pulumi

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	loadtest.WantFixtures(t, Load, map[string][]string{
		"bad-preview.json":          {"inplace-update-planned:9"},
		"good-preview.json":         nil,
		"bad-eventlog.json":         {"inplace-update-planned:3"},
		"good-eventlog.json":        nil,
		"bad-replace-eventlog.json": {"destroy-before-create:2"},
	})
}

func TestChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []*model.PlannedChange
	}{
		{"bad-preview.json", []*model.PlannedChange{
			{Source: Format, Address: "urn:pulumi:prod::web::pulumi:pulumi:Stack::web-prod", Type: "pulumi:pulumi:Stack", Actions: []string{"no-op"}, Location: model.Location{File: "bad-preview.json", Line: 4}},
			{Source: Format, Address: "urn:pulumi:prod::web::aws:ec2/instance:Instance::web-1", Type: "aws:ec2/instance:Instance", Actions: []string{"update"}, Changed: []string{"userData", "tags"}, Provider: "urn:pulumi:prod::web::pulumi:providers:aws::default_6_0_0::04da6b54-80e4-46f7-96ec-b56ff0331ba9", Location: model.Location{File: "bad-preview.json", Line: 9}},
		}},
		{"bad-replace-eventlog.json", []*model.PlannedChange{
			{Source: Format, Address: "urn:pulumi:prod::web::gcp:compute/instance:Instance::vm", Type: "gcp:compute/instance:Instance", Actions: []string{"delete", "create"}, Changed: []string{"bootDisk"}, ReplaceReasons: []string{"bootDisk"}, Location: model.Location{File: "bad-replace-eventlog.json", Line: 2}},
		}},
		{"good-preview.json", []*model.PlannedChange{
			{Source: Format, Address: "urn:pulumi:prod::web::aws:ec2/instance:Instance::web-1", Type: "aws:ec2/instance:Instance", Actions: []string{"create", "delete"}, Changed: []string{"ami"}, ReplaceReasons: []string{"ami"}, Location: model.Location{File: "good-preview.json", Line: 3}},
			{Source: Format, Address: "urn:pulumi:prod::web::aws:s3/bucket:Bucket::logs", Type: "aws:s3/bucket:Bucket", Actions: []string{"update"}, Changed: []string{"tags"}, Location: model.Location{File: "good-preview.json", Line: 19}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			f := Load(tt.file, data)
			if len(f.Problems) > 0 {
				t.Fatalf("problems: %v", f.Problems)
			}
			if diff := cmp.Diff(tt.want, f.Changes); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNoChanges checks that a preview in which nothing changes (Pulumi
// leaves "steps" out) loads without problems and without changes.
func TestNoChanges(t *testing.T) {
	t.Parallel()
	f := Load("preview.json", []byte(`{"config": {}, "duration": 1200000000, "changeSummary": {"same": 3}}`))
	if len(f.Problems) != 0 || len(f.Changes) != 0 {
		t.Errorf("problems %v, changes %d", f.Problems, len(f.Changes))
	}
}
