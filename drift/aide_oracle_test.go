package drift_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/drift"
)

// TestAIDEOracle runs AIDE, the reference host-drift tool, on the same tree
// and the same real changes, with the attributes drift compares, and
// requires both to report the same set of changed paths.
func TestAIDEOracle(t *testing.T) {
	t.Parallel()
	_, root := rootfs(t)
	deb := need(t, "IMMUTCHECK_TEST_DEB", "a real .deb (apt-get download tree)")
	aide := needTool(t, "aide")
	needTool(t, "setcap")
	dir := t.TempDir()
	conf := filepath.Join(dir, "aide.conf")
	if err := os.WriteFile(conf, []byte(aideConfig(dir, root)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(aide, "--init", "-c", conf).CombinedOutput(); err != nil {
		t.Fatalf("aide --init: %v\n%s", err, out)
	}
	mustDo(t, os.Rename(filepath.Join(dir, "aide.db.new"), filepath.Join(dir, "aide.db")))
	base := walk(t, root)

	mutate(t, root, deb)

	live := walk(t, root)
	ig, _ := drift.NewIgnores(nil, nil)
	var ours []string
	for _, ch := range drift.Compare(base, live, ig).Changes {
		ours = append(ours, ch.Path)
	}
	theirs := aideChanged(t, aide, conf)
	sort.Strings(ours)
	if len(ours) < 50 {
		t.Fatalf("only %d changed paths; the mutations did not happen", len(ours))
	}
	if d := cmp.Diff(theirs, ours); d != "" {
		t.Errorf("changed paths (-aide +immutcheck):\n%s", d)
	}
}

// aideConfig checks regular files by permissions, owner, size, SHA-256,
// type, extended attributes and link count; directories and special files by
// permissions, owner and type; symlinks by owner, type and target — what
// drift compares — and leaves out drift's default ignores. AIDE 0.18.3's
// "caps" attribute does not report a capability added to a file that had
// none (it lists it under different_attributes only), so the oracle uses
// "xattrs": the only extended attribute in the test tree is
// security.capability, which is what drift compares.
func aideConfig(dir, root string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "database_in=file:%s/aide.db\ndatabase_out=file:%s/aide.db.new\ngzip_dbout=no\n", dir, dir)
	fmt.Fprintf(&b, "report_format=json\nreport_url=stdout\nroot_prefix=%s\n", root)
	b.WriteString("F = p+u+g+s+sha256+ftype+xattrs+n\nD = p+u+g+ftype\nL = u+g+l+ftype\nS = p+u+g+ftype\n")
	b.WriteString("/ f F\n/ d D\n/ l L\n/ c,b,p,s S\n")
	for _, ig := range drift.DefaultIgnores {
		fmt.Fprintf(&b, "!%s(/.*)?$\n", regexp.QuoteMeta(ig.Pattern))
	}
	return b.String()
}

// aideChanged runs aide --check and returns the added, removed and changed
// paths it reports. AIDE exits 1-7 when it found differences.
func aideChanged(t *testing.T, aide, conf string) []string {
	t.Helper()
	out, err := exec.Command(aide, "--check", "-c", conf).Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() < 8) {
		t.Fatalf("aide --check: %v\n%s", err, out)
	}
	var rep struct {
		Added, Removed, Changed map[string]string
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("aide report: %v\n%.2000s", err, out)
	}
	var paths []string
	for _, m := range []map[string]string{rep.Added, rep.Removed, rep.Changed} {
		for p := range m {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	return paths
}
