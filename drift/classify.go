package drift

import (
	"errors"
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// Classify explains a comparison as classified changes, the facts the
// drift rules judge. Changes are explained at the highest level that
// accounts for them: a file of a package that was installed, removed or
// upgraded is counted under that package; a change of the account
// databases names the accounts; what remains is a permission, executable,
// /etc or plain file change. Unchecked paths and parts of either tree that
// could not be understood are TreeUnread problems. The changes over the
// comparison's bound follow, one summary per top-level directory, kind and
// class.
func Classify(base, live *Snapshot, cmp *Comparison) ([]model.Change, []model.Problem) {
	c := &classifier{base: base, live: live}
	c.packages(cmp.Changes)
	c.accounts(cmp.Changes)
	group := -1 // index of the change of an added or removed subtree being folded
	var groupDir string
	var groupKind Kind
	var groupN int
	flush := func() {
		if group >= 0 && groupN > 0 {
			c.out[group].Detail += fmt.Sprintf(", with %d entries below it", groupN)
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
		if group >= 0 && len(fs) == 1 && fs[0].Class == c.out[group].Class && ch.Kind == groupKind {
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
	c.out = append(c.out, omittedChanges(cmp)...)
	var problems []model.Problem
	for _, e := range cmp.Unchecked {
		problems = append(problems, unread(e.Path, e.Path, "not checked: %s%s", e.Status, errSuffix(e.Err)))
	}
	for _, o := range cmp.UncheckedOmitted {
		problems = append(problems, unread(o.Dir, o.Dir, "not checked: and %s more paths below %s, not listed (over the bound of %s kept in detail)", thousands(o.N), o.Dir, thousands(cmp.MaxChanges)))
	}
	for _, p := range cmp.Problems {
		problems = append(problems, unread("tree", "", "not checked: %s", p))
	}
	return c.out, problems
}

type classifier struct {
	base, live *Snapshot
	out        []model.Change
	// pkgFiles maps a path owned by a changed package to its change.
	pkgFiles map[string]*pkgChange
	// pkgDBChanged is true when package changes explain changes to the
	// package database itself.
	pkgDBChanged bool
	// owners maps a path to the unchanged package that owns it.
	owners map[string]string
	// acctDone lists account files whose changes were explained per account;
	// homes are the home directories of added users.
	acctDone map[string]bool
	// homes maps the home directory of an added user to the index of its
	// change.
	homes map[string]int
}

// file classifies one change that no package or account explains.
func (c *classifier) file(ch *Change) []model.Change {
	var out []model.Change
	if f, ok := c.permission(ch); ok {
		out = append(out, f)
		if ch.Kind == Modified && ch.What&^(DiffMode|DiffOwner|DiffCaps) == 0 {
			return out
		}
	}
	class := model.FileChange
	switch {
	case ch.Kind != Removed && ch.New.Executable() && (ch.Kind == Added || ch.What&(DiffContent|DiffType) != 0):
		class = model.ExecutableChange
	case under(ch.Path, "/etc"):
		class = model.EtcChange
	}
	msg := describe(ch)
	if owner := c.owners[ch.Path]; owner != "" && ch.Kind != Added {
		msg += fmt.Sprintf("; owned by package %s, whose version did not change", owner)
	}
	return append(out, model.Change{Class: class, Path: ch.Path, Detail: msg})
}

// permission explains a mode, owner or capability change, and a new
// setuid, setgid or capability on an added file, which is marked
// privileged.
func (c *classifier) permission(ch *Change) (model.Change, bool) {
	pc := model.Change{Class: model.PermissionChange, Path: ch.Path}
	switch ch.Kind {
	case Added:
		e := ch.New
		if e.Type != TypeRegular || !e.Setid() && len(e.Caps) == 0 {
			return model.Change{}, false
		}
		pc.Detail, pc.Privileged = "new file with "+privileges(e), true
		return pc, true
	case Modified:
		if ch.What&(DiffMode|DiffOwner|DiffCaps) == 0 {
			return model.Change{}, false
		}
		var parts []string
		if ch.What&DiffMode != 0 {
			parts = append(parts, fmt.Sprintf("mode %04o → %04o", ch.Old.Mode, ch.New.Mode))
			if added := ch.New.Mode & 0o6000 &^ ch.Old.Mode; added != 0 {
				pc.Privileged = true
				parts[len(parts)-1] += " (new " + privilegeNames(added, false) + " bit)"
			}
		}
		if ch.What&DiffOwner != 0 {
			parts = append(parts, fmt.Sprintf("owner %d:%d → %d:%d", ch.Old.UID, ch.Old.GID, ch.New.UID, ch.New.GID))
		}
		if ch.What&DiffCaps != 0 {
			parts = append(parts, fmt.Sprintf("capabilities %s → %s", capsText(ch.Old.Caps), capsText(ch.New.Caps)))
			if len(ch.New.Caps) > 0 {
				pc.Privileged = true
			}
		}
		pc.Detail = strings.Join(parts, ", ")
		return pc, true
	}
	return model.Change{}, false
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

// unread is a TreeUnread problem about subject at path of the tree.
func unread(subject, path, format string, args ...any) model.Problem {
	return model.Problem{Kind: model.TreeUnread, Object: subject, Location: model.Location{File: path}, Err: errors.New(fmt.Sprintf(format, args...))}
}
