package drift

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// describe says exactly what changed at one path.
func describe(ch *Change) string {
	switch ch.Kind {
	case Added:
		return "added " + summary(ch.New)
	case Removed:
		return "removed " + summary(ch.Old)
	}
	o, n := ch.Old, ch.New
	var parts []string
	if ch.What&DiffType != 0 {
		parts = append(parts, fmt.Sprintf("%s replaced by %s", summary(o), summary(n)))
	}
	if ch.What&DiffContent != 0 {
		parts = append(parts, fmt.Sprintf("content changed (sha256 %s → %s, %d → %d bytes)", short(o.SHA256), short(n.SHA256), o.Size, n.Size))
	}
	if ch.What&DiffLink != 0 {
		parts = append(parts, fmt.Sprintf("link target %q → %q", o.Link, n.Link))
	}
	if ch.What&DiffMode != 0 {
		parts = append(parts, fmt.Sprintf("mode %04o → %04o", o.Mode, n.Mode))
	}
	if ch.What&DiffOwner != 0 {
		parts = append(parts, fmt.Sprintf("owner %d:%d → %d:%d", o.UID, o.GID, n.UID, n.GID))
	}
	if ch.What&DiffCaps != 0 {
		parts = append(parts, fmt.Sprintf("capabilities %s → %s", capsText(o.Caps), capsText(n.Caps)))
	}
	if ch.What&DiffDevice != 0 {
		parts = append(parts, fmt.Sprintf("device %d,%d → %d,%d", o.Major, o.Minor, n.Major, n.Minor))
	}
	if ch.What&DiffLinkCount != 0 {
		parts = append(parts, fmt.Sprintf("hard link count %d → %d", o.Nlink, n.Nlink))
	}
	return strings.Join(parts, ", ")
}

// summary describes one entry in a few words.
func summary(e *Entry) string {
	switch e.Type {
	case TypeRegular:
		s := fmt.Sprintf("regular file (%d bytes, mode %04o, owner %d:%d", e.Size, e.Mode, e.UID, e.GID)
		if e.Status == StatusOK {
			s += ", sha256 " + short(e.SHA256)
		}
		return s + ")"
	case TypeSymlink:
		return fmt.Sprintf("symlink to %q", e.Link)
	case TypeCharDevice, TypeBlockDevice:
		return fmt.Sprintf("%s %d,%d", e.Type, e.Major, e.Minor)
	}
	return fmt.Sprintf("%s (mode %04o, owner %d:%d)", e.Type, e.Mode, e.UID, e.GID)
}

// short abbreviates a digest to 12 hex digits.
func short(sum [32]byte) string {
	return hex.EncodeToString(sum[:6])
}
