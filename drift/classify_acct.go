package drift

import (
	"fmt"
	"sort"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// accounts reports users and groups added, removed or changed, naming the
// account and the fields that changed but never a password hash. Changes to
// account files that no account-level difference explains (and every change
// to sudoers, sudoers.d or an authorized_keys file) are reported per file.
func (c *classifier) accounts(changes []Change) {
	c.acctDone, c.homes = map[string]bool{}, map[string]int{}
	start := len(c.out)
	var fs []model.Change
	// privileged marks an account that gets uid 0.
	add := func(privileged bool, subject, format string, args ...any) {
		fs = append(fs, model.Change{Class: model.AccountChange, Path: "/etc/passwd", Subject: subject, Detail: fmt.Sprintf(format, args...), Privileged: privileged})
	}
	ob, nb := c.base.Accounts, c.live.Accounts
	oldU, newU := userIndex(ob.Users), userIndex(nb.Users)
	for _, name := range unionKeys(oldU, newU) {
		o, n := oldU[name], newU[name]
		switch {
		case o == nil:
			add(n.UID == "0", "user "+name, "user %s added (uid %s, gid %s, home %s, shell %s)", name, n.UID, n.GID, n.Home, n.Shell)
			if n.Home != "/" && n.Home != "" && added(changes, n.Home) {
				c.homes[n.Home] = start + len(fs) - 1
			}
		case n == nil:
			add(false, "user "+name, "user %s removed (uid %s)", name, o.UID)
		case *o != *n:
			add(n.UID == "0" && o.UID != "0", "user "+name, "user %s changed: %s", name, userDiff(o, n))
		}
	}
	for _, name := range unionKeys(ob.Shadow, nb.Shadow) {
		if o, n := ob.Shadow[name], nb.Shadow[name]; o != "" && n != "" && o != n {
			add(false, "user "+name, "password or password aging of user %s changed (shadow entry differs; hashes are not shown)", name)
		}
	}
	oldG, newG := groupIndex(ob.Groups), groupIndex(nb.Groups)
	for _, name := range unionKeys(oldG, newG) {
		o, n := oldG[name], newG[name]
		switch {
		case o == nil:
			add(false, "group "+name, "group %s added (gid %s, members %q)", name, n.GID, n.Members)
		case n == nil:
			add(false, "group "+name, "group %s removed (gid %s)", name, o.GID)
		case *o != *n:
			add(false, "group "+name, "group %s changed: gid %s → %s, members %q → %q", name, o.GID, n.GID, o.Members, n.Members)
		}
	}
	for _, name := range unionKeys(ob.GShadow, nb.GShadow) {
		if o, n := ob.GShadow[name], nb.GShadow[name]; o != "" && n != "" && o != n {
			add(false, "group "+name, "group password or administrators of %s changed (gshadow entry differs)", name)
		}
	}
	if len(fs) > 0 {
		// The per-account changes explain the account databases.
		for _, f := range accountFiles[:12] {
			c.acctDone[f] = true
		}
	}
	c.out = append(c.out, fs...)
	homeN := map[string]int{}
	for _, ch := range changes {
		if home := c.homeOf(ch.Path); home != "" && ch.Kind == Added {
			homeN[home]++
		}
	}
	for home, i := range c.homes {
		if homeN[home] > 0 {
			c.out[i].Detail += fmt.Sprintf("; home directory %s created with %d entries", home, homeN[home])
		}
	}
}

// accountConsumed reports whether an account change explains ch, and
// records the account files whose change is not explained per account.
func (c *classifier) accountConsumed(ch *Change) bool {
	if ch.Kind == Added && c.homeOf(ch.Path) != "" {
		return true
	}
	if !isAccountFile(ch.Path) {
		return false
	}
	// With per-account changes, content changes of the databases and any
	// change of their "-" backups are explained; a permission change of
	// /etc/shadow itself is still reported.
	if c.acctDone[ch.Path] && (ch.What&^DiffContent == 0 || strings.HasSuffix(ch.Path, "-")) {
		return true
	}
	what := describe(ch)
	if ch.Kind == Modified && ch.What == DiffContent {
		what = "content changed" // never print the digests of secrets
	}
	c.out = append(c.out, model.Change{Class: model.AccountChange, Path: ch.Path, Detail: accessKind(ch.Path) + ": " + what})
	return true
}

// homeOf returns the home directory of an added user that p is in, or "".
func (c *classifier) homeOf(p string) string {
	for home := range c.homes {
		if under(p, home) {
			return home
		}
	}
	return ""
}

func accessKind(p string) string {
	switch {
	case strings.HasSuffix(p, "authorized_keys") || strings.HasSuffix(p, "authorized_keys2"):
		return "SSH authorized keys"
	case strings.Contains(p, "sudoers"):
		return "sudo rules"
	}
	return "account database"
}

func userDiff(o, n *User) string {
	var d []string
	for _, f := range [][3]string{{"uid", o.UID, n.UID}, {"gid", o.GID, n.GID}, {"home", o.Home, n.Home}, {"shell", o.Shell, n.Shell}} {
		if f[1] != f[2] {
			d = append(d, fmt.Sprintf("%s %s → %s", f[0], f[1], f[2]))
		}
	}
	return strings.Join(d, ", ")
}

func userIndex(us []User) map[string]*User {
	m := map[string]*User{}
	for i := range us {
		m[us[i].Name] = &us[i]
	}
	return m
}

func groupIndex(gs []Group) map[string]*Group {
	m := map[string]*Group{}
	for i := range gs {
		m[gs[i].Name] = &gs[i]
	}
	return m
}

// unionKeys returns the keys of two maps, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	var ks []string
	for k := range a {
		ks = append(ks, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

// added reports whether the changes add path p (changes are in Less order).
func added(changes []Change, p string) bool {
	i := sort.Search(len(changes), func(i int) bool { return !Less(changes[i].Path, p) })
	return i < len(changes) && changes[i].Path == p && changes[i].Kind == Added
}
