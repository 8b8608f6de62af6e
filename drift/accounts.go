package drift

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// Accounts are the users and groups of a tree, parsed from /etc/passwd,
// /etc/group, /etc/shadow and /etc/gshadow. Password hashes are never kept:
// a shadow line is reduced to a fingerprint that only tells whether it
// changed.
type Accounts struct {
	Users  []User  `json:"users,omitempty"`
	Groups []Group `json:"groups,omitempty"`
	// Shadow and GShadow map an account name to the fingerprint of its
	// shadow (gshadow) line.
	Shadow  map[string]string `json:"shadow,omitempty"`
	GShadow map[string]string `json:"gshadow,omitempty"`
}

// User is one line of /etc/passwd (without the password field).
type User struct {
	Name  string `json:"name"`
	UID   string `json:"uid"`
	GID   string `json:"gid"`
	Home  string `json:"home"`
	Shell string `json:"shell"`
}

// Group is one line of /etc/group (without the password field).
type Group struct {
	Name    string `json:"name"`
	GID     string `json:"gid"`
	Members string `json:"members"`
}

// accountFiles are consumed by account-drift rather than etc-drift.
var accountFiles = []string{
	"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow",
	"/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-",
	"/etc/subuid", "/etc/subgid", "/etc/subuid-", "/etc/subgid-",
	"/etc/sudoers",
}

// isAccountFile reports whether a change to p is an access change: the
// account databases, sudoers and sudoers.d, and authorized_keys files.
func isAccountFile(p string) bool {
	for _, a := range accountFiles {
		if p == a {
			return true
		}
	}
	if under(p, "/etc/sudoers.d") {
		return true
	}
	base := p[strings.LastIndexByte(p, '/')+1:]
	return base == "authorized_keys" || base == "authorized_keys2"
}

// parseAccounts parses the collected account files. Lines that do not have
// the field count of their format are problems, not silently dropped.
func parseAccounts(c collected) (Accounts, []string) {
	var a Accounts
	var probs []string
	each := func(file string, fields int, fn func([]string)) {
		for i, l := range strings.Split(string(c[file]), "\n") {
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			f := strings.Split(l, ":")
			if len(f) < fields || f[0] == "" {
				probs = append(probs, fmt.Sprintf("%s line %d: %d fields, want %d", file, i+1, len(f), fields))
				continue
			}
			fn(f)
		}
	}
	each("/etc/passwd", 7, func(f []string) {
		a.Users = append(a.Users, User{Name: f[0], UID: f[2], GID: f[3], Home: f[5], Shell: f[6]})
	})
	each("/etc/group", 4, func(f []string) {
		a.Groups = append(a.Groups, Group{Name: f[0], GID: f[2], Members: f[3]})
	})
	fingerprint := func(m *map[string]string) func([]string) {
		return func(f []string) {
			if *m == nil {
				*m = map[string]string{}
			}
			h := sha256.Sum256([]byte(strings.Join(f, ":")))
			(*m)[f[0]] = hex.EncodeToString(h[:8])
		}
	}
	each("/etc/shadow", 2, fingerprint(&a.Shadow))
	each("/etc/gshadow", 2, fingerprint(&a.GShadow))
	sort.Slice(a.Users, func(i, j int) bool { return a.Users[i].Name < a.Users[j].Name })
	sort.Slice(a.Groups, func(i, j int) bool { return a.Groups[i].Name < a.Groups[j].Name })
	return a, probs
}
