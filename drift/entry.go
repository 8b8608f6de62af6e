package drift

import "fmt"

// Type is the kind of a filesystem entry.
type Type uint8

// The entry types. The values are part of the baseline format.
const (
	TypeUnknown Type = iota
	TypeRegular
	TypeDir
	TypeSymlink
	TypeCharDevice
	TypeBlockDevice
	TypeFIFO
	TypeSocket
)

var typeNames = [...]string{"unknown", "regular file", "directory", "symlink", "character device", "block device", "fifo", "socket"}

// String returns the type's name as reports print it.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("type(%d)", uint8(t))
}

// Status says whether an entry was read completely.
type Status uint8

// The entry statuses. Only StatusOK entries have trustworthy content.
const (
	// StatusOK: metadata and, for regular files, content were read.
	StatusOK Status = iota
	// StatusUnreadable: the entry could not be opened or read (EACCES, EIO);
	// a directory in this state was not descended into.
	StatusUnreadable
	// StatusChanged: the entry changed while it was being read.
	StatusChanged
	// StatusTooLarge: a regular file above the size limit, not hashed.
	StatusTooLarge
	// StatusOtherFS: a directory on another filesystem, not descended into.
	StatusOtherFS
)

var statusNames = [...]string{"ok", "unreadable", "changed during scan", "too large to hash", "on another filesystem"}

// String returns the status as reports print it.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// Entry is the record of one path. Path is absolute within the tree
// ("/etc/passwd"), cleaned, and never has a trailing slash except the root
// "/" itself.
type Entry struct {
	Path string
	Type Type
	// Mode holds the permission bits with setuid, setgid and sticky (07777).
	Mode     uint32
	UID, GID uint32
	// Size is the size of regular files.
	Size int64
	// Nlink is the link count of regular files (1 when not hard-linked).
	Nlink uint32
	// SHA256 is the content digest of a regular file read with StatusOK.
	SHA256 [32]byte
	// Link is the target of a symlink, as stored; it is never followed.
	Link string
	// Major and Minor are the device numbers of device nodes.
	Major, Minor uint32
	// Caps is the raw security.capability extended attribute, if any.
	Caps []byte
	// Exec is true when the content starts with an ELF or "#!" header.
	Exec bool
	// Implicit marks a directory that a tar archive used without listing;
	// its metadata is unknown and not compared.
	Implicit bool
	// Status says whether the entry was read completely; Err says why not.
	Status Status
	Err    string
}

// Setid reports whether the setuid or setgid bit is set.
func (e *Entry) Setid() bool { return e.Mode&0o6000 != 0 }

// Executable reports whether a regular file has an exec bit or an
// executable header.
func (e *Entry) Executable() bool {
	return e.Type == TypeRegular && (e.Mode&0o111 != 0 || e.Exec)
}
