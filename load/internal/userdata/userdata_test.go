package userdata

import (
	"encoding/base64"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

func TestParse(t *testing.T) {
	t.Parallel()
	loc := model.Location{File: "f", Line: 3}
	cc := "#cloud-config\npackages: [nginx]\nsalt_minion:\n  conf: {}\nbootcmd:\n  - echo hi\nruncmd:\n  - [systemctl, enable, --now, salt-minion]\n"
	tests := []struct {
		name, raw string
		want      *model.UserData
	}{
		{"script", "#!/bin/sh\npuppet agent\n", &model.UserData{Commands: []model.Command{{Shell: "#!/bin/sh\npuppet agent\n", Context: "user data", Location: loc}}, Location: loc}},
		{"base64 script", base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho\n")), &model.UserData{Commands: []model.Command{{Shell: "#!/bin/sh\necho\n", Context: "user data", Location: loc}}, Location: loc}},
		{"cloud-config", base64.StdEncoding.EncodeToString([]byte(cc)), &model.UserData{
			CloudConfig: true,
			Modules:     []string{"bootcmd", "packages", "runcmd", "salt_minion"},
			Commands: []model.Command{
				{Shell: "echo hi", Context: "bootcmd", Location: loc},
				{Args: []string{"systemctl", "enable", "--now", "salt-minion"}, Context: "runcmd", Location: loc},
			},
			Location: loc,
		}},
		{"broken cloud-config kept as text", "#cloud-config\n: [", &model.UserData{CloudConfig: true, Commands: []model.Command{{Shell: "#cloud-config\n: [", Context: "cloud-config", Location: loc}}, Location: loc}},
		{"hash is not base64 text", "0123456789abcdef0123456789abcdef01234567", &model.UserData{Commands: []model.Command{{Shell: "0123456789abcdef0123456789abcdef01234567", Context: "user data", Location: loc}}, Location: loc}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Parse(tt.raw, loc)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
