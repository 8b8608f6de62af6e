package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
)

// Bounds of one hostile case. The child's data segment (heap and stacks)
// is limited with RLIMIT_DATA rather than RLIMIT_AS: the Go runtime
// reserves address space it never uses, by amounts that vary from run to
// run, so an address-space limit low enough to matter fails healthy runs
// at random.
const (
	hostileMemory   = 768 << 20
	hostileDeadline = 45 * time.Second
)

// hostileCase is one hostile input: the command line, run in dir, the
// exit code wanted and fragments of which the output must hold one.
type hostileCase struct {
	name string
	dir  string
	args []string
	exit int
	want []string
}

// TestHostile runs every case of testdata/hostile (case.txt: args, exit
// and want lines; want alternatives separated by |) and the generated
// ones (FIFOs, links, inputs too big to keep in the repository) in a
// child process of this test binary, under a memory limit and a deadline,
// so that a regression fails the test instead of taking the machine down.
func TestHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command line in child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	cases := staticCases(t)
	cases = append(cases, generatedCases(t)...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			runHostile(t, exe, c)
		})
	}
}

func runHostile(t *testing.T, exe string, c hostileCase) {
	ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, c.args...)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), cliChildEnv+"=1", "NO_COLOR=1", "GOTRACEBACK=single")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lim := &unix.Rlimit{Cur: hostileMemory, Max: hostileMemory}
	if err := unix.Prlimit(cmd.Process.Pid, unix.RLIMIT_DATA, lim, nil); err != nil {
		t.Logf("prlimit: %v", err)
	}
	err := cmd.Wait()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %v", strings.Join(c.args, " "), hostileDeadline)
	}
	code := 0
	if err != nil {
		code = cmd.ProcessState.ExitCode()
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss >> 10
	}
	t.Logf("%s: exit %d in %v, peak RSS %d MiB", strings.Join(c.args, " "), code, took.Round(10*time.Millisecond), rss)
	text := out.String()
	if strings.Contains(text, "goroutine ") || strings.Contains(text, "fatal error") {
		t.Errorf("Go runtime crash:\n%.2000s", text)
	}
	found := false
	for _, w := range c.want {
		found = found || strings.Contains(text, w)
	}
	if code != c.exit || !found {
		t.Errorf("exit %d, want %d; output should hold one of %q:\n%.3000s", code, c.exit, c.want, text)
	}
}

// staticCases reads testdata/hostile/*/case.txt.
func staticCases(t *testing.T) []hostileCase {
	dirs, err := filepath.Glob(filepath.Join("testdata", "hostile", "*", "case.txt"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no hostile cases: %v", err)
	}
	var out []hostileCase
	for _, p := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(p))
		c := hostileCase{name: filepath.Base(dir), dir: dir}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), ": ")
			switch k {
			case "args":
				c.args = strings.Fields(v)
			case "exit":
				c.exit, err = strconv.Atoi(v)
			case "want":
				c.want = strings.Split(v, "|")
			}
		}
		f.Close()
		if err != nil || len(c.args) == 0 || len(c.want) == 0 {
			t.Fatalf("%s: bad case file", p)
		}
		out = append(out, c)
	}
	return out
}

// generatedCases builds the cases that cannot be files in the repository.
func generatedCases(t *testing.T) []hostileCase {
	dir := t.TempDir()
	w := func(name, content string) string {
		return writeFile(t, dir, name, content)
	}
	fifo := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return p
	}
	clean := w("clean/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	w("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
	w("chart/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	w("ok/deploy.yaml", pinnedPod)
	w("linked/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	if err := os.Symlink("../ok/deploy.yaml", filepath.Join(dir, "linked", "deploy.yaml")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	fifo("fifos/deploy.yaml")
	fifo("fifos/config.yaml")
	fifo("fifos/values.yaml")
	fifo("fifos/out.json")
	fifo("fifos/k.pub")
	fifo("fifos/base")
	fifo("upward/" + ".immutcheck.yaml")
	w("upward/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	w("plan.json", `{"format_version":"1.2","resource_changes":[`+strings.Repeat("{},", 999_999)+`{}]}`)
	w("dup.tar", duplicateTar(t))
	pub := millionBaseline(t, dir, 3_000_000)
	w("tree/etc/hostname", "h\n")
	notRegular := []string{"not a regular file"}
	return []hostileCase{
		{"fifo-input", dir, []string{"scan", "fifos/deploy.yaml"}, 3, []string{"read: not a regular file (a named pipe); read a pipe as -"}},
		{"device-input", dir, []string{"scan", "/dev/zero"}, 3, []string{"not a regular file (a character device)"}},
		{"fifo-config", dir, []string{"scan", "--config", "fifos/config.yaml", clean}, 2, notRegular},
		{"device-config", dir, []string{"scan", "--config", "/dev/zero", clean}, 2, notRegular},
		{"fifo-config-found-upward", dir, []string{"scan", "upward/cm.yaml"}, 2, []string{"upward/.immutcheck.yaml: not a regular file (a named pipe)"}},
		{"fifo-values", dir, []string{"scan", "--values", "fifos/values.yaml", "chart"}, 3, notRegular},
		{"fifo-output", dir, []string{"scan", "--output", "fifos/out.json", clean}, 2, notRegular},
		{"fifo-key", dir, []string{"baseline", "verify", "base", "--key", "fifos/k.pub"}, 2, notRegular},
		{"fifo-baseline", dir, []string{"baseline", "verify", "fifos/base", "--key", pub}, 3, notRegular},
		{"symlink-out-of-scanned-dir", dir, []string{"scan", "linked"}, 3, []string{"linked/deploy.yaml  symbolic link to a file outside the scanned paths not followed"}},
		{"plan-million-empty-changes", dir, []string{"scan", "plan.json"}, 3, []string{`entry 0: resource change without "address"`}},
		{"tar-duplicate-entry", dir, []string{"baseline", "create", "dup.tar", "-o", "dup.baseline"}, 3, []string{"/etc/passwd is listed twice in one archive"}},
		{"baseline-verify-millions", dir, []string{"baseline", "verify", "base", "--key", pub}, 0, []string{"entries     3000000"}},
		// 3 million removed entries: 50,000 are listed, the others counted in
		// one summary that is a finding, so the run is not clean.
		{"drift-millions-removed", dir, []string{"drift", "--baseline", "base", "--key", pub, "--state", "", "--fail-on", "low", "tree"}, 1, []string{"/d  and 2,950,001 more entries removed below /d, not listed (over the bound of 50,000 changes kept in detail)"}},
		{"baseline-sign-millions", dir, []string{"baseline", "sign", "base", "--key", "k.key", "--signature", "base.sig2"}, 0, []string{"signed base"}},
	}
}

// millionBaseline writes dir/base, a signed baseline listing n
// directories, with the key pair k.key and k.pub, and returns k.pub.
func millionBaseline(t *testing.T, dir string, n int) string {
	priv, pub, err := baseline.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"k.key": priv, "k.pub": pub} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	bw, err := baseline.NewWriter(&buf, baseline.Header{Source: "generated", Created: time.Unix(0, 0).UTC(), Generation: 1})
	if err != nil {
		t.Fatal(err)
	}
	en := drift.Entry{Type: drift.TypeDir, Mode: 0o755}
	for i := range n {
		en.Path = fmt.Sprintf("/d/%09d", i)
		if err := bw.Add(&en); err != nil {
			t.Fatal(err)
		}
	}
	if err := bw.Close(&drift.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	s, err := baseline.LoadSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.Sign(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "base.sig"), append(sig, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "k.pub")
}

// duplicateTar is an archive that lists /etc/passwd twice.
func duplicateTar(t *testing.T) string {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, body := range []string{"root:x:0:0::/root:/bin/sh\n", "root::0:0::/root:/bin/sh\n"} {
		if err := tw.WriteHeader(&tar.Header{Name: "etc/passwd", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
