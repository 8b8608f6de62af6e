package rules

import (
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

func TestInstalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cmd  model.Command
		want int
	}{
		{model.Command{Shell: "apt-get update && apt-get install -y curl"}, 1},
		{model.Command{Args: []string{"sh", "-c", "set -e; apk add --no-cache git; exec app"}}, 1},
		{model.Command{Args: []string{"/bin/bash", "-lc", "pip install -r req.txt && python main.py"}}, 1},
		{model.Command{Args: []string{"python3", "-m", "pip", "install", "flask"}}, 1},
		{model.Command{Shell: "sudo -E yum -y install httpd"}, 1},
		{model.Command{Shell: "npm ci && npm start"}, 1},
		{model.Command{Shell: `bash -c "sh -c 'gem install rails'"`}, 1},
		{model.Command{Shell: "dpkg -i /tmp/x.deb"}, 1},
		{model.Command{Args: []string{"nginx", "-g", "daemon off;"}}, 0},
		{model.Command{Shell: "apt-get update"}, 0},
		{model.Command{Shell: "echo apt-get install curl"}, 0},
		{model.Command{Args: []string{"npm", "start"}}, 0},
		{model.Command{Shell: "if [ ; then"}, 0}, // does not parse: scanned as words
		{model.Command{Shell: "apt-get install -y 'unterminated"}, 1},
	}
	for _, tt := range tests {
		if got := installs(tt.cmd); len(got) != tt.want {
			t.Errorf("installs(%+v) = %+v, want %d", tt.cmd, got, tt.want)
		}
	}
}

func TestRunsSSHD(t *testing.T) {
	t.Parallel()
	for cmd, want := range map[string]bool{
		"/usr/sbin/sshd -D":              true,
		"service ssh start && exec app":  true,
		"exec /app --ssh-port 22":        false,
		"echo sshd":                      false,
		"systemctl enable --now sshd":    true,
		"dropbear -F -E -p 2222 && true": true,
	} {
		if _, got := runsSSHD(model.Command{Shell: cmd}); got != want {
			t.Errorf("runsSSHD(%q) = %v, want %v", cmd, got, want)
		}
	}
}

func TestShellDepthBounded(t *testing.T) {
	t.Parallel()
	script := "apt-get install x"
	for range 50 {
		script = "sh -c '" + script + "'"
	}
	// Deep nesting must terminate; it may or may not find the install.
	_ = installs(model.Command{Shell: script})
}

func FuzzCalls(f *testing.F) {
	for _, s := range []string{"apt-get install -y x", "sh -c 'apk add x'", "$(", "a && b || c | d; e &", "<<EOF\nx\nEOF", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = installs(model.Command{Shell: s})
		_, _ = runsSSHD(model.Command{Shell: s})
		_ = installs(model.Command{Args: []string{"sh", "-c", s}})
	})
}
