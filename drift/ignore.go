package drift

import (
	"fmt"
	"path"
	"strings"
)

// Ignore is one path pattern that drift does not compare, with the reason.
// A pattern without glob characters names a path and everything under it;
// a pattern with * ? or [ is matched with path.Match against each path and
// its parents.
type Ignore struct {
	Pattern string `json:"pattern"`
	Reason  string `json:"reason"`
}

// DefaultIgnores are the volatile paths of a running Linux host: kernel and
// runtime filesystems, temporary files, logs, caches, and the few files that
// every instance rewrites at boot. They are listed by --explain-ignores and
// changed with the drift.ignore and drift.include settings.
var DefaultIgnores = []Ignore{
	{"/proc", "kernel process filesystem"},
	{"/sys", "kernel sysfs"},
	{"/dev", "device nodes created at boot (devtmpfs)"},
	{"/run", "runtime state (tmpfs)"},
	{"/tmp", "temporary files"},
	{"/var/tmp", "temporary files"},
	{"/var/log", "logs grow on every host"},
	{"/var/cache", "caches are rebuilt on demand"},
	{"/var/lib/apt/lists", "apt index files, refreshed by apt-get update"},
	{"/var/lib/dhcp", "DHCP leases"},
	{"/var/lib/systemd/random-seed", "random seed rewritten at boot"},
	{"/var/lib/dbus/machine-id", "per-instance identity"},
	{"/lost+found", "fsck recovery directory"},
	{"/etc/hostname", "per-instance identity"},
	{"/etc/hosts", "written by the platform at boot"},
	{"/etc/resolv.conf", "written by DHCP or the platform at boot"},
	{"/etc/machine-id", "per-instance identity"},
	{"/etc/mtab", "mount table"},
	{"/etc/ld.so.cache", "rebuilt by ldconfig; the libraries themselves are compared"},
}

// Ignores decides which paths are left out of a comparison.
type Ignores struct {
	ignore  []Ignore
	include []string
	// The patterns split by kind once, for Match: it runs for every entry
	// of a walk and of a comparison.
	ignoreLit, ignoreGlob, includeLit, includeGlob []string
	// tops are the first components of the literal ignores: without globs,
	// a path whose first component is not one of them matches nothing.
	tops map[string]bool
}

// NewIgnores starts from DefaultIgnores, adds ignore patterns and removes
// include patterns: an include that equals a default drops it; an include
// below an ignored path is compared although its parent is not (for example
// /var/log/audit). An invalid glob is an error.
func NewIgnores(ignore, include []string) (*Ignores, error) {
	ig := &Ignores{}
	drop := map[string]bool{}
	for _, p := range include {
		p = path.Clean(p)
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("drift include %q: not an absolute path", p)
		}
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("drift include %q: %w", p, err)
		}
		drop[p] = true
		ig.include = append(ig.include, p)
	}
	for _, d := range DefaultIgnores {
		if !drop[d.Pattern] {
			ig.ignore = append(ig.ignore, d)
		}
	}
	for _, p := range ignore {
		c := path.Clean(p)
		if !strings.HasPrefix(c, "/") {
			return nil, fmt.Errorf("drift ignore %q: not an absolute path", p)
		}
		if _, err := path.Match(c, ""); err != nil {
			return nil, fmt.Errorf("drift ignore %q: %w", p, err)
		}
		ig.ignore = append(ig.ignore, Ignore{Pattern: c, Reason: "configured in drift.ignore"})
	}
	ig.tops = map[string]bool{}
	for _, i := range ig.ignore {
		ig.ignoreLit, ig.ignoreGlob = split(i.Pattern, ig.ignoreLit, ig.ignoreGlob)
		ig.tops[topComponent(i.Pattern)] = true
	}
	for _, p := range ig.include {
		ig.includeLit, ig.includeGlob = split(p, ig.includeLit, ig.includeGlob)
	}
	return ig, nil
}

// List returns the ignore patterns in effect, for --explain-ignores.
func (ig *Ignores) List() []Ignore { return append([]Ignore(nil), ig.ignore...) }

// Includes returns the include patterns in effect.
func (ig *Ignores) Includes() []string { return append([]string(nil), ig.include...) }

// below reports whether a path below the directory dir may be ignored;
// when none can, a walk need not ask about each name in dir.
func (ig *Ignores) below(dir string) bool {
	return ig != nil && (len(ig.ignoreGlob) > 0 || dir == "/" || ig.tops[""] || ig.tops[topComponent(dir)])
}

// Match reports whether p is left out of the comparison.
func (ig *Ignores) Match(p string) bool {
	if ig == nil || len(ig.ignoreGlob) == 0 && !ig.tops[""] && !ig.tops[topComponent(p)] {
		return false
	}
	if matchesAny(ig.includeLit, ig.includeGlob, p) {
		return false
	}
	return matchesAny(ig.ignoreLit, ig.ignoreGlob, p)
}

// topComponent returns the first component of an absolute path ("etc"
// for "/etc/passwd", "" for "/").
func topComponent(p string) string {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return p
}

// split appends a pattern to the literal or the glob list.
func split(pattern string, lit, glob []string) ([]string, []string) {
	if strings.ContainsAny(pattern, "*?[") {
		return lit, append(glob, pattern)
	}
	return append(lit, pattern), glob
}

// matchesAny reports whether a literal path or a glob covers p or one of
// p's parents. A literal covers exactly the paths under it, a prefix test.
func matchesAny(lit, glob []string, p string) bool {
	for _, l := range lit {
		if under(p, l) {
			return true
		}
	}
	for _, g := range glob {
		for q := p; q != ""; q = parent(q) {
			if ok, _ := path.Match(g, q); ok {
				return true
			}
		}
	}
	return false
}

// Prune reports whether the directory p and everything below it can be
// skipped by a walk: p is ignored and no include lies below it.
func (ig *Ignores) Prune(p string) bool {
	if !ig.Match(p) {
		return false
	}
	for _, inc := range ig.include {
		if under(inc, p) || strings.ContainsAny(inc, "*?[") {
			return false
		}
	}
	return true
}
