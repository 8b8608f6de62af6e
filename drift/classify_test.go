package drift

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/drift/pkgdb"
	"github.com/immutcheck/immutcheck/rules"
)

func reg(p string, mode uint32, content string) Entry {
	e := Entry{Path: p, Type: TypeRegular, Mode: mode, Size: int64(len(content)), Nlink: 1}
	copy(e.SHA256[:], content)
	e.Exec = strings.HasPrefix(content, "#!")
	return e
}

func dirE(p string) Entry { return Entry{Path: p, Type: TypeDir, Mode: 0o755} }

func snap(pkgs []pkgdb.Package, users []User, es ...Entry) *Snapshot {
	sortEntries(es)
	return &Snapshot{Entries: es, PackageDB: "dpkg", Packages: pkgs, Accounts: Accounts{Users: users}}
}

// TestClassify checks each rule on small in-memory trees, and that an
// unchanged tree has no findings.
func TestClassify(t *testing.T) {
	t.Parallel()
	common := []Entry{dirE("/"), dirE("/etc"), dirE("/usr"), dirE("/usr/bin"), dirE("/srv"), dirE("/home"), dirE("/var"), dirE("/var/lib"), dirE("/var/lib/dpkg")}
	root := User{Name: "root", UID: "0", GID: "0", Home: "/root", Shell: "/bin/sh"}
	basePkgs := []pkgdb.Package{{Name: "coreutils", Version: "1", Files: []string{"/usr/bin/ls"}}, {Name: "old", Version: "1", Files: []string{"/usr/bin/old"}}}
	base := snap(basePkgs, []User{root}, append(common[:len(common):len(common)],
		reg("/usr/bin/ls", 0o755, "\x7fELF ls"), reg("/usr/bin/old", 0o755, "\x7fELF old"),
		reg("/etc/passwd", 0o644, "root"), reg("/etc/app.conf", 0o644, "a=1"),
		reg("/srv/data", 0o644, "d"), reg("/usr/bin/su", 0o755, "\x7fELF su"), reg("/var/lib/dpkg/status", 0o644, "s1"))...)

	t.Run("unchanged", func(t *testing.T) {
		t.Parallel()
		if fs := classifyFindings(base, base, Compare(base, base, nil)); len(fs) != 0 {
			t.Errorf("findings on an unchanged tree: %v", fs)
		}
	})

	livePkgs := []pkgdb.Package{{Name: "coreutils", Version: "1", Files: []string{"/usr/bin/ls"}}, {Name: "new", Version: "2", Files: []string{"/usr/bin/new"}}}
	alice := User{Name: "alice", UID: "0", GID: "0", Home: "/home/alice", Shell: "/bin/sh"}
	su := reg("/usr/bin/su", 0o4755, "\x7fELF su")
	live := snap(livePkgs, []User{alice, root}, append(common[:len(common):len(common)],
		reg("/usr/bin/ls", 0o755, "\x7fELF evil"), reg("/usr/bin/new", 0o755, "\x7fELF new"),
		reg("/etc/passwd", 0o644, "root+alice"), reg("/etc/app.conf", 0o644, "a=2"),
		reg("/srv/data", 0o644, "e"), su, reg("/srv/run.sh", 0o644, "#!/bin/sh"),
		dirE("/home/alice"), reg("/home/alice/.profile", 0o644, "p"), reg("/var/lib/dpkg/status", 0o644, "s2"))...)
	got := map[string]rules.Severity{}
	for _, f := range classifyFindings(base, live, Compare(base, live, nil)) {
		got[f.Rule.ID+" "+f.Subject] = f.Severity
	}
	want := map[string]rules.Severity{
		"package-drift package old":    rules.High,
		"package-drift package new":    rules.High,
		"account-drift user alice":     rules.Critical, // uid 0
		"executable-drift /usr/bin/ls": rules.High,     // packaged binary modified
		"executable-drift /srv/run.sh": rules.High,     // script magic, no exec bit
		"permission-drift /usr/bin/su": rules.Critical, // new setuid bit
		"etc-drift /etc/app.conf":      rules.Medium,
		"file-drift /srv/data":         rules.Low,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

func TestLessOrder(t *testing.T) {
	t.Parallel()
	in := []string{"/a.b", "/a/b", "/", "/a", "/a/b/c", "/ab", "/a-"}
	want := []string{"/", "/a", "/a/b", "/a/b/c", "/a-", "/a.b", "/ab"}
	es := make([]Entry, len(in))
	for i, p := range in {
		es[i].Path = p
	}
	sortEntries(es)
	var got []string
	for _, e := range es {
		got = append(got, e.Path)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestIgnores(t *testing.T) {
	t.Parallel()
	ig, err := NewIgnores([]string{"/srv/*.tmp"}, []string{"/var/log/audit", "/etc/hosts"})
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{
		"/proc": true, "/proc/1/exe": true, "/procfs": false, "/var/log/syslog": true,
		"/var/log/audit/audit.log": false, "/etc/hosts": false, "/etc/hostname": true,
		"/srv/x.tmp": true, "/srv/x.tmp/inner": true, "/srv/x": false, "/etc/passwd": false,
	} {
		if got := ig.Match(p); got != want {
			t.Errorf("Match(%q) = %v, want %v", p, got, want)
		}
	}
	if ig.Prune("/var/log") {
		t.Error("/var/log pruned although /var/log/audit is included")
	}
	if !ig.Prune("/proc") {
		t.Error("/proc not pruned")
	}
	// Without globs, Match rejects on the first component; "/" still
	// covers everything.
	lit, err := NewIgnores([]string{"/", "/opt/x"}, nil)
	must(t, err)
	lit2, err := NewIgnores([]string{"/opt/x"}, nil)
	must(t, err)
	if !lit.Match("/usr/bin/ls") || !lit2.Match("/opt/x/y") || lit2.Match("/opt/xy") || lit2.Match("/usr/bin/ls") {
		t.Error("literal ignores: wrong match")
	}
	// below(dir) may say no only when nothing under dir matches.
	paths := []string{"/", "/proc", "/proc/1/exe", "/procfs/x", "/var", "/var/log", "/var/log/audit/a", "/var/lib/x",
		"/etc", "/etc/hosts", "/etc/passwd", "/srv", "/srv/x.tmp/inner", "/opt", "/opt/x/y", "/opt/xy", "/usr/bin/ls"}
	for _, set := range []*Ignores{ig, lit, lit2} {
		for _, dir := range paths {
			for _, p := range paths {
				if p != dir && under(p, dir) && set.Match(p) && !set.below(dir) {
					t.Errorf("below(%q) = false, but %q is ignored", dir, p)
				}
			}
		}
	}
	if lit2.below("/usr") || !lit2.below("/opt") {
		t.Error("below: /usr may hold no ignored path of /opt/x, /opt may")
	}
	for _, bad := range [][2][]string{{{"relative"}, nil}, {{"/["}, nil}, {nil, {"x"}}} {
		if _, err := NewIgnores(bad[0], bad[1]); err == nil {
			t.Errorf("NewIgnores(%q, %q) accepted", bad[0], bad[1])
		}
	}
}
