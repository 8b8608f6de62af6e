package rules

import (
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// TestInstanceFacts checks, on one Docker container, how the rules over
// instance facts locate and grade what they report: changes and processes
// at "container/NAME:PATH", a privileged change critical, an SSH server of
// the image under ssh-access (not foreign-process), a shell started with
// docker exec under exec-session, and a host's findings at its own paths.
func TestInstanceFacts(t *testing.T) {
	t.Parallel()
	in := &model.Instance{Kind: "Container", Subject: "container web", Location: model.Location{File: "container/web"},
		Changes: []model.Change{
			{Class: model.PermissionChange, Path: "/usr/bin/find", Detail: "mode 0755 → 4755 (new setuid bit)", Privileged: true},
			{Class: model.PermissionChange, Path: "/etc/issue", Detail: "mode 0644 → 0666"},
		},
		Processes: []model.Process{
			{PID: 30, Exe: "/usr/sbin/sshd", Command: "sshd -D", Origin: model.FromImage},
			{PID: 31, Exe: "/usr/sbin/dropbear", Command: "dropbear", Origin: model.ModifiedExecutable},
			{PID: 40, Exe: "/vol/tool", Command: "tool", Origin: model.OutsideImage},
		},
		Sessions: []model.Session{{Kind: "exec", Source: "docker exec", Running: true, Command: "bash"}},
	}
	host := &model.Instance{Kind: "Host", Subject: "host /", Baseline: &model.BaselineUse{Path: "b", Verified: true},
		Processes: []model.Process{
			{PID: 7, Name: "implant", Exe: "/usr/bin/implant", Origin: model.ModifiedExecutable, Digest: "sha256:aaaaaaaaaaaaaaaa", ImageDigest: "sha256:bbbbbbbbbbbbbbbb"},
			{PID: 8, Name: "sshd", Exe: "/usr/sbin/sshd", Origin: model.FromImage},
		}}
	ev, err := NewEvaluator(All(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ rule, subject, loc string }
	got := map[key]string{}
	sev := map[key]Severity{}
	for _, f := range ev.Evaluate(&model.File{Path: "docker", Instances: []*model.Instance{in, host}}) {
		k := key{f.Rule.ID, f.Subject, f.Location.File}
		got[k], sev[k] = f.Message, f.Severity
	}
	want := map[key]string{
		{"permission-drift", "container web: /usr/bin/find", "container/web:/usr/bin/find"}:  "mode 0755 → 4755 (new setuid bit)",
		{"permission-drift", "container web: /etc/issue", "container/web:/etc/issue"}:        "mode 0644 → 0666",
		{"ssh-access", "container web: process 30", "container/web:/usr/sbin/sshd"}:          "SSH server sshd runs in the container (command: sshd -D)",
		{"foreign-process", "container web: process 31", "container/web:/usr/sbin/dropbear"}: "runs /usr/sbin/dropbear, whose content differs from the image's (command: dropbear)",
		{"foreign-process", "container web: process 40", "container/web:/vol/tool"}:          "runs /vol/tool, which is not in the image (a mounted path; command: tool)",
		{"exec-session", "container web", "container/web"}:                                   "exec (docker exec): bash (still running)",
		{"foreign-process", "process 7 (implant)", "/usr/bin/implant"}:                       "runs /usr/bin/implant, whose content (sha256 aaaaaaaaaaaa) differs from the baseline (bbbbbbbbbbbb)",
		{"ssh-access", "process 8 (sshd)", "/usr/sbin/sshd"}:                                 "SSH server sshd runs on the host",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%v: got %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d: %v", len(got), len(want), got)
	}
	if s := sev[key{"permission-drift", "container web: /usr/bin/find", "container/web:/usr/bin/find"}]; s != Critical {
		t.Errorf("new setuid bit: severity %s, want critical", s)
	}
	if s := sev[key{"permission-drift", "container web: /etc/issue", "container/web:/etc/issue"}]; s != Medium {
		t.Errorf("mode change: severity %s, want the rule's medium", s)
	}
}
