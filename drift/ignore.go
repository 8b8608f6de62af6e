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
	return ig, nil
}

// List returns the ignore patterns in effect, for --explain-ignores.
func (ig *Ignores) List() []Ignore { return append([]Ignore(nil), ig.ignore...) }

// Includes returns the include patterns in effect.
func (ig *Ignores) Includes() []string { return append([]string(nil), ig.include...) }

// Match reports whether p is left out of the comparison.
func (ig *Ignores) Match(p string) bool {
	if ig == nil {
		return false
	}
	for _, inc := range ig.include {
		if matches(inc, p) {
			return false
		}
	}
	for _, i := range ig.ignore {
		if matches(i.Pattern, p) {
			return true
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

// matches reports whether pattern covers p or one of p's parents. A
// pattern without glob characters covers exactly the paths under it, which
// is a prefix test: this runs for every entry of a walk and a comparison.
func matches(pattern, p string) bool {
	if !strings.ContainsAny(pattern, "*?[") {
		return under(p, pattern)
	}
	for q := p; q != ""; q = parent(q) {
		if ok, _ := path.Match(pattern, q); ok {
			return true
		}
	}
	return false
}
