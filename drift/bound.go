package drift

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/drift/pkgdb"
	"github.com/immutcheck/immutcheck/model"
)

// DefaultMaxChanges is how many changes a comparison keeps in detail. A
// full distribution upgrade of a host changes some tens of thousands of
// files; 50,000 changes, with their findings and report, add about 90 MB
// to a run and make a text report of about 12 MB, which is still searched. Beyond
// the bound, a tree is no longer a copy of its image in any useful sense,
// and listing every path (20 million removed entries took 6.6 GB) helps
// no one: the others are counted per top-level directory, kind and class.
const DefaultMaxChanges = 50_000

// maxNeeded bounds the changes kept beyond DefaultMaxChanges because package
// and account classification read them (see needed). A real host has a few
// dozen such files; a baseline listing millions of authorized_keys or
// sudoers.d entries is hostile, and what is over this bound too is counted
// like any other change, so memory stays bounded whatever the baseline says.
const maxNeeded = 10_000

// maxOmittedDirs bounds the top-level directories counted apart; changes
// in any other directory are counted under "/".
const maxOmittedDirs = 256

// Omitted counts the changes of one kind and class below one top-level
// directory that were over the bound and not kept in detail.
type Omitted struct {
	Kind Kind
	// Dir is the top-level directory ("/usr"), or "/" for top-level
	// entries and for directories beyond the ones counted apart.
	Dir string
	// Class is the class the changes would get as far as one entry tells
	// it; files of packages and accounts are not known here.
	Class model.ChangeClass
	// Privileged marks new setuid or setgid bits or file capabilities.
	Privileged bool
	N          int
}

type omitKey struct {
	kind       Kind
	dir        string
	class      model.ChangeClass
	privileged bool
}

// omitKeyOf is the counter of a change that is not kept; dirs is how many
// counters exist already.
func omitKeyOf(ch *Change, dirs int) omitKey {
	k := omitKey{kind: ch.Kind, dir: topDir(ch.Path)}
	if dirs >= maxOmittedDirs {
		k.dir = "/"
	}
	k.class, k.privileged = roughClass(ch)
	return k
}

// roughClass is the class of ch as classification would give it when no
// package or account explains it, from ch alone.
func roughClass(ch *Change) (model.ChangeClass, bool) {
	switch ch.Kind {
	case Added:
		if ch.New.Type == TypeRegular && (ch.New.Setid() || len(ch.New.Caps) > 0) {
			return model.PermissionChange, true
		}
	case Modified:
		if ch.What&DiffMode != 0 && ch.New.Mode&0o6000&^ch.Old.Mode != 0 || ch.What&DiffCaps != 0 && len(ch.New.Caps) > 0 {
			return model.PermissionChange, true
		}
		if ch.What&^(DiffMode|DiffOwner|DiffCaps) == 0 {
			return model.PermissionChange, false
		}
	}
	switch {
	case ch.Kind != Removed && ch.New.Executable() && (ch.Kind == Added || ch.What&(DiffContent|DiffType) != 0):
		return model.ExecutableChange, false
	case under(ch.Path, "/etc"):
		return model.EtcChange, false
	}
	return model.FileChange, false
}

// topDir is the top-level directory of p, or "/" for a top-level entry.
func topDir(p string) string {
	if i := strings.IndexByte(p[1:], '/'); i >= 0 {
		return p[:i+1]
	}
	return "/"
}

// needed reports whether package or account classification reads a
// change of p, so that it is kept whatever the bound: the package
// databases and the account files, sudoers and authorized_keys.
func needed(p string) bool {
	return p == "/var/lib/dpkg/status" || p == "/lib/apk/db/installed" || pkgdb.IsRPMDB(p) || isAccountFile(p)
}

func sortedOmitted(m map[omitKey]int) []Omitted {
	out := make([]Omitted, 0, len(m))
	for k, n := range m {
		out = append(out, Omitted{Kind: k.kind, Dir: k.dir, Class: k.class, Privileged: k.privileged, N: n})
	}
	slices.SortFunc(out, func(a, b Omitted) int {
		return cmp.Or(strings.Compare(a.Dir, b.Dir), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Class, b.Class), cmp.Compare(b2i(a.Privileged), b2i(b.Privileged)))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// omittedChanges are the summary changes of what was over the bound.
func omittedChanges(c *Comparison) []model.Change {
	var out []model.Change
	for _, o := range c.Omitted {
		noun, verb := "entries", map[Kind]string{Added: "added", Removed: "removed", Modified: "modified"}[o.Kind]
		switch {
		case o.Privileged:
			verb += " with new setuid, setgid or file capabilities"
		case o.Class == model.ExecutableChange:
			noun = "executables"
		case o.Class == model.PermissionChange:
			verb = "whose permissions, owner or capabilities changed"
		}
		if o.N == 1 {
			noun = map[string]string{"entries": "entry", "executables": "executable"}[noun]
		}
		what := noun + " " + verb
		out = append(out, model.Change{
			Class: o.Class, Path: o.Dir, Privileged: o.Privileged,
			Detail: fmt.Sprintf("and %s more %s below %s, not listed (over the bound of %s changes kept in detail)", thousands(o.N), what, o.Dir, thousands(c.MaxChanges)),
		})
	}
	return out
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
