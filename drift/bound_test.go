package drift

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

// TestMergerBound: beyond the bound, changes are counted per top-level
// directory, kind and class and classification summarises them after the
// detailed ones; the account and package database files are kept
// whatever the bound, and the folding of an added subtree still works for
// what is kept.
func TestMergerBound(t *testing.T) {
	t.Parallel()
	base := snap(nil, nil, dirE("/"), dirE("/etc"), reg("/etc/passwd", 0o644, "root"), reg("/etc/sudoers", 0o440, "s"),
		reg("/etc/app.conf", 0o644, "a"), dirE("/usr"), reg("/usr/a", 0o644, "a"), reg("/usr/b", 0o644, "b"), reg("/usr/c", 0o644, "c"),
		dirE("/var"), dirE("/var/lib"), dirE("/var/lib/dpkg"), reg("/var/lib/dpkg/status", 0o644, "s1"))
	lives := []Entry{dirE("/"), dirE("/data"), dirE("/etc"), reg("/etc/app.conf", 0o644, "b"), reg("/etc/passwd", 0o644, "root+x"),
		reg("/etc/sudoers", 0o440, "t"), reg("/run.sh", 0o755, "#!x"), dirE("/usr"), reg("/usr/suid", 0o4755, "\x7fELF"),
		dirE("/var"), dirE("/var/lib"), dirE("/var/lib/dpkg"), reg("/var/lib/dpkg/status", 0o644, "s2")}
	for i := range 5 {
		lives = append(lives, reg(fmt.Sprintf("/data/f%d", i), 0o644, "d"))
	}
	live := snap(nil, nil, lives...)

	m := NewMerger(&sliceSource{entries: base.Entries}, nil)
	m.Limit(3)
	for i := range live.Entries {
		m.Live(&live.Entries[i])
	}
	c, err := m.Finish()
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, ch := range c.Changes {
		kept = append(kept, ch.Path)
	}
	wantKept := []string{"/data", "/data/f0", "/data/f1", "/etc/passwd", "/etc/sudoers", "/var/lib/dpkg/status"}
	if d := cmp.Diff(wantKept, kept); d != "" {
		t.Errorf("kept (-want +got):\n%s", d)
	}
	chs, _ := Classify(base, live, c)
	var got []string
	for _, ch := range chs {
		got = append(got, fmt.Sprintf("%d %s %v: %s", ch.Class, ch.Path, ch.Privileged, ch.Detail))
	}
	bound := "not listed (over the bound of 3 changes kept in detail)"
	want := []string{
		fmt.Sprintf("%d /data false: added directory (mode 0755, owner 0:0), with 2 entries below it", model.FileChange),
		fmt.Sprintf("%d /etc/passwd false: account database: content changed", model.AccountChange),
		fmt.Sprintf("%d /etc/sudoers false: sudo rules: content changed", model.AccountChange),
		fmt.Sprintf("%d /var/lib/dpkg/status false: content changed (sha256 733100000000 → 733200000000, 2 → 2 bytes)", model.FileChange),
		fmt.Sprintf("%d / false: and 1 more executable added below /, %s", model.ExecutableChange, bound),
		fmt.Sprintf("%d /data false: and 3 more entries added below /data, %s", model.FileChange, bound),
		fmt.Sprintf("%d /etc false: and 1 more entry modified below /etc, %s", model.EtcChange, bound),
		fmt.Sprintf("%d /usr true: and 1 more entry added with new setuid, setgid or file capabilities below /usr, %s", model.PermissionChange, bound),
		fmt.Sprintf("%d /usr false: and 3 more entries removed below /usr, %s", model.FileChange, bound),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("classified (-want +got):\n%s", d)
	}
}

// TestMergerNeededBound: the changes kept beyond the bound for package and
// account classification are bounded too, so a baseline listing millions
// of authorized_keys files cannot grow the comparison without limit.
func TestMergerNeededBound(t *testing.T) {
	t.Parallel()
	es := []Entry{dirE("/"), dirE("/home")}
	for i := range maxNeeded + 20 {
		es = append(es, dirE(fmt.Sprintf("/home/u%05d", i)), dirE(fmt.Sprintf("/home/u%05d/.ssh", i)),
			reg(fmt.Sprintf("/home/u%05d/.ssh/authorized_keys", i), 0o600, "k"))
	}
	live := snap(nil, nil, es...)
	m := NewMerger(&sliceSource{entries: snap(nil, nil, dirE("/"), dirE("/home")).Entries}, nil)
	m.Limit(3)
	for i := range live.Entries {
		m.Live(&live.Entries[i])
	}
	c, err := m.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Changes) != 3+maxNeeded {
		t.Errorf("%d changes kept, want the bound 3 plus %d needed", len(c.Changes), maxNeeded)
	}
	omitted := 0
	for _, o := range c.Omitted {
		omitted += o.N
	}
	if want := len(live.Entries) - 2 - 3 - maxNeeded; omitted != want {
		t.Errorf("%d changes counted over the bound, want %d", omitted, want)
	}
}

// TestMergerDefaultBound: an ordinary comparison keeps every change.
func TestMergerDefaultBound(t *testing.T) {
	t.Parallel()
	var es []Entry
	for i := range 1000 {
		es = append(es, reg(fmt.Sprintf("/f%04d", i), 0o644, "x"))
	}
	c := Compare(snap(nil, nil), snap(nil, nil, es...), nil)
	if len(c.Changes) != 1000 || len(c.Omitted) != 0 || c.MaxChanges != DefaultMaxChanges {
		t.Errorf("%d changes kept, %d omitted, bound %d", len(c.Changes), len(c.Omitted), c.MaxChanges)
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 19_950_000: "19,950,000", 50_000: "50,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestMergerUncheckedBound: what the baseline has below a directory that
// was not entered is unchecked; beyond the bound it is counted, and the
// count is a TreeUnread problem.
func TestMergerUncheckedBound(t *testing.T) {
	t.Parallel()
	bases := []Entry{dirE("/"), dirE("/mnt")}
	for i := range 5 {
		bases = append(bases, reg(fmt.Sprintf("/mnt/f%d", i), 0o644, "m"))
	}
	base := snap(nil, nil, bases...)
	mnt := dirE("/mnt")
	mnt.Status = StatusUnreadable
	live := snap(nil, nil, dirE("/"), mnt)
	m := NewMerger(&sliceSource{entries: base.Entries}, nil)
	m.Limit(2)
	for i := range live.Entries {
		m.Live(&live.Entries[i])
	}
	c, err := m.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Unchecked) != 2 || len(c.Changes) != 0 {
		t.Fatalf("%d unchecked kept, %d changes; want 2, 0", len(c.Unchecked), len(c.Changes))
	}
	_, probs := Classify(base, live, c)
	last := probs[len(probs)-1]
	want := "not checked: and 4 more paths below /mnt, not listed (over the bound of 2 kept in detail)"
	if len(probs) != 3 || last.Kind != model.TreeUnread || last.Err.Error() != want || last.Object != "/mnt" {
		t.Errorf("%d problems, last %+v; want 3, the last %q", len(probs), last, want)
	}
}
