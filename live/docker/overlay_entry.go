package docker

import (
	"archive/tar"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// header describes a located entry as a tar header named p.
func header(f found, p string) (*tar.Header, error) {
	st := &f.st
	h := &tar.Header{Name: p, Mode: int64(st.Mode & 0o7777), Uid: int(st.Uid), Gid: int(st.Gid), Format: tar.FormatPAX}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		h.Typeflag, h.Size = tar.TypeReg, st.Size
		// The file capability xattr, named through the open parent so that
		// no link is followed.
		buf := make([]byte, 64)
		if n, err := unix.Lgetxattr(fmt.Sprintf("/proc/self/fd/%d/%s", f.dir.Fd(), f.name), "security.capability", buf); err == nil && n > 0 {
			h.PAXRecords = map[string]string{"SCHILY.xattr.security.capability": string(buf[:n])}
		}
	case unix.S_IFDIR:
		h.Typeflag = tar.TypeDir
	case unix.S_IFLNK:
		h.Typeflag = tar.TypeSymlink
		buf := make([]byte, 4096)
		n, err := unix.Readlinkat(int(f.dir.Fd()), f.name, buf)
		if err != nil {
			return nil, fmt.Errorf("read link %s: %w", p, err)
		}
		h.Linkname = string(buf[:n])
	case unix.S_IFCHR:
		h.Typeflag, h.Devmajor, h.Devminor = tar.TypeChar, int64(unix.Major(st.Rdev)), int64(unix.Minor(st.Rdev))
	case unix.S_IFBLK:
		h.Typeflag, h.Devmajor, h.Devminor = tar.TypeBlock, int64(unix.Major(st.Rdev)), int64(unix.Minor(st.Rdev))
	case unix.S_IFIFO:
		h.Typeflag = tar.TypeFifo
	default:
		h.Typeflag = tar.TypeFifo // sockets: no content, compared by type and mode
	}
	return h, nil
}

// copyContent copies a regular file's content, opened without following
// links and checked to be the entry that was listed; exactly the listed
// size is written.
func copyContent(tw *tar.Writer, f found, p string, budget *countingLimit) error {
	fd, err := unix.Openat(int(f.dir.Fd()), f.name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", p, err)
	}
	fh := os.NewFile(uintptr(fd), p)
	defer fh.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Ino != f.st.Ino || st.Dev != f.st.Dev {
		return fmt.Errorf("read %s: changed while it was read", p)
	}
	budget.r = io.LimitReader(fh, f.st.Size)
	n, err := io.Copy(tw, budget)
	if err != nil {
		return fmt.Errorf("read %s: %w", p, err)
	}
	if n != f.st.Size {
		return fmt.Errorf("read %s: changed while it was read", p)
	}
	return nil
}
