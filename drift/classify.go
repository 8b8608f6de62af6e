package drift

import (
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Classify turns a comparison into findings of the drift rules. Changes are
// explained at the highest level that accounts for them: a file of a package
// that was installed, removed or upgraded is counted under that package; a
// change of the account databases names the accounts; what remains is a
// permission, executable, /etc or plain file change. Unchecked paths are
// drift-unchecked findings.
func Classify(base, live *Snapshot, cmp *Comparison) []rules.Finding {
	c := &classifier{base: base, live: live}
	c.packages(cmp.Changes)
	c.accounts(cmp.Changes)
	group := -1 // index of the finding of an added or removed subtree being folded
	var groupDir string
	var groupKind Kind
	var groupN int
	flush := func() {
		if group >= 0 && groupN > 0 {
			c.out[group].Message += fmt.Sprintf(", with %d entries below it", groupN)
		}
		group, groupN = -1, 0
	}
	for i := range cmp.Changes {
		ch := &cmp.Changes[i]
		if c.consumed(ch) {
			continue
		}
		if group >= 0 && !under(ch.Path, groupDir) {
			flush()
		}
		fs := c.file(ch)
		if group >= 0 && len(fs) == 1 && fs[0].Rule == c.out[group].Rule && ch.Kind == groupKind {
			groupN++
			continue
		}
		c.out = append(c.out, fs...)
		if len(fs) == 1 && (ch.Kind == Added || ch.Kind == Removed) && entryOf(ch).Type == TypeDir {
			flush()
			group, groupDir, groupKind = len(c.out)-1, ch.Path, ch.Kind
		}
	}
	flush()
	for _, e := range cmp.Unchecked {
		c.out = append(c.out, finding(rules.DriftUnchecked, rules.DriftUnchecked.Severity, e.Path, e.Path, "not checked: %s%s", e.Status, errSuffix(e.Err)))
	}
	for _, p := range cmp.Problems {
		c.out = append(c.out, finding(rules.DriftUnchecked, rules.DriftUnchecked.Severity, "tree", "", "not checked: %s", p))
	}
	rules.Sort(c.out)
	return c.out
}

type classifier struct {
	base, live *Snapshot
	out        []rules.Finding
	// pkgFiles maps a path owned by a changed package to its finding.
	pkgFiles map[string]*pkgChange
	// pkgDBChanged is true when package findings explain changes to the
	// package database itself.
	pkgDBChanged bool
	// owners maps a path to the unchanged package that owns it.
	owners map[string]string
	// acctDone lists account files whose changes were explained per account;
	// homes are the home directories of added users.
	acctDone map[string]bool
	// homes maps the home directory of an added user to the index of its
	// finding.
	homes map[string]int
}

// file classifies one change that no package or account explains.
func (c *classifier) file(ch *Change) []rules.Finding {
	var out []rules.Finding
	if f, ok := c.permission(ch); ok {
		out = append(out, f)
		if ch.Kind == Modified && ch.What&^(DiffMode|DiffOwner|DiffCaps) == 0 {
			return out
		}
	}
	rule := rules.FileDrift
	switch {
	case ch.Kind != Removed && ch.New.Executable() && (ch.Kind == Added || ch.What&(DiffContent|DiffType) != 0):
		rule = rules.ExecutableDrift
	case under(ch.Path, "/etc"):
		rule = rules.EtcDrift
	}
	msg := describe(ch)
	if owner := c.owners[ch.Path]; owner != "" && ch.Kind != Added {
		msg += fmt.Sprintf("; owned by package %s, whose version did not change", owner)
	}
	return append(out, finding(rule, rule.Severity, ch.Path, ch.Path, "%s", msg))
}

// permission reports a mode, owner or capability change, and a new setuid,
// setgid or capability on an added file. New privilege is critical.
func (c *classifier) permission(ch *Change) (rules.Finding, bool) {
	r := rules.PermissionDrift
	switch ch.Kind {
	case Added:
		e := ch.New
		if e.Type != TypeRegular || !e.Setid() && len(e.Caps) == 0 {
			return rules.Finding{}, false
		}
		return finding(r, rules.Critical, ch.Path, ch.Path, "new file with %s", privileges(e)), true
	case Modified:
		if ch.What&(DiffMode|DiffOwner|DiffCaps) == 0 {
			return rules.Finding{}, false
		}
		var parts []string
		sev := r.Severity
		if ch.What&DiffMode != 0 {
			parts = append(parts, fmt.Sprintf("mode %04o → %04o", ch.Old.Mode, ch.New.Mode))
			if added := ch.New.Mode & 0o6000 &^ ch.Old.Mode; added != 0 {
				sev = rules.Critical
				parts[len(parts)-1] += " (new " + privilegeNames(added, false) + " bit)"
			}
		}
		if ch.What&DiffOwner != 0 {
			parts = append(parts, fmt.Sprintf("owner %d:%d → %d:%d", ch.Old.UID, ch.Old.GID, ch.New.UID, ch.New.GID))
		}
		if ch.What&DiffCaps != 0 {
			parts = append(parts, fmt.Sprintf("capabilities %s → %s", capsText(ch.Old.Caps), capsText(ch.New.Caps)))
			if len(ch.New.Caps) > 0 {
				sev = rules.Critical
			}
		}
		return finding(r, sev, ch.Path, ch.Path, "%s", strings.Join(parts, ", ")), true
	}
	return rules.Finding{}, false
}

// privileges names the setuid, setgid and capability bits of e.
func privileges(e *Entry) string {
	return privilegeNames(e.Mode, len(e.Caps) > 0) + fmt.Sprintf(" (mode %04o, owner %d:%d)", e.Mode, e.UID, e.GID)
}

// privilegeNames names the setuid and setgid bits of mode, and file
// capabilities when caps is set.
func privilegeNames(mode uint32, caps bool) string {
	var p []string
	if mode&0o4000 != 0 {
		p = append(p, "setuid")
	}
	if mode&0o2000 != 0 {
		p = append(p, "setgid")
	}
	if caps {
		p = append(p, "file capabilities")
	}
	return strings.Join(p, " and ")
}

func capsText(b []byte) string {
	if len(b) == 0 {
		return "none"
	}
	return fmt.Sprintf("set (%d bytes)", len(b))
}

func entryOf(ch *Change) *Entry {
	if ch.New != nil {
		return ch.New
	}
	return ch.Old
}

func errSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// finding builds a finding of a drift rule on a path of the tree.
func finding(r *rules.Rule, sev rules.Severity, subject, path, format string, args ...any) rules.Finding {
	return rules.Finding{Rule: r, Severity: sev, Subject: subject, Location: model.Location{File: path}, Message: fmt.Sprintf(format, args...)}
}
