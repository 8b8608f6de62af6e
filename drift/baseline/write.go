package baseline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// WriteFile replaces the file at name with data so that a reader, or the
// machine after a crash, sees either the complete old file or the complete
// new one (see Create).
func WriteFile(name string, data []byte, perm os.FileMode) error {
	f, err := Create(name, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Commit()
}

// AtomicFile is a file being written next to the one it will replace. Write
// to it, then Commit to replace the target or Abort to leave it untouched.
type AtomicFile struct {
	*os.File
	name, tmp string
	perm      os.FileMode
	done      bool
}

// Create starts replacing name: the data goes to a new temporary file in
// the same directory (created O_EXCL|O_NOFOLLOW, so never through a planted
// link), which Commit syncs, renames over name, and the directory synced
// (google/renameio semantics). A full disk leaves the old file untouched
// and the temporary file removed. An existing name that is not a regular
// file is refused.
func Create(name string, perm os.FileMode) (*AtomicFile, error) {
	if fi, err := os.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("write %s: refusing to replace a %s", filepath.Base(name), fileKind(fi.Mode()))
	}
	tmp, fd, err := createTemp(filepath.Dir(name), filepath.Base(name))
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	return &AtomicFile{File: os.NewFile(uintptr(fd), tmp), name: name, tmp: tmp, perm: perm}, nil
}

// Write writes to the temporary file.
func (f *AtomicFile) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	if err != nil {
		err = fmt.Errorf("write %s: %w", filepath.Base(f.name), err)
	}
	return n, err
}

// Contents returns what was written so far (at most max bytes), for
// signing the file before it replaces the target.
func (f *AtomicFile) Contents(max int64) ([]byte, error) {
	fi, err := f.File.Stat()
	if err != nil {
		return nil, fmt.Errorf("read back %s: %w", filepath.Base(f.name), err)
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("read back %s: larger than %d bytes", filepath.Base(f.name), max)
	}
	b := make([]byte, fi.Size())
	if _, err := f.File.ReadAt(b, 0); err != nil {
		return nil, fmt.Errorf("read back %s: %w", filepath.Base(f.name), err)
	}
	return b, nil
}

// Abort removes the temporary file unless Commit succeeded. It is safe to
// call after Commit, so it can be deferred.
func (f *AtomicFile) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.File.Close()
	os.Remove(f.tmp)
}

// Commit syncs the temporary file and renames it over the target.
func (f *AtomicFile) Commit() error {
	if f.done {
		return fmt.Errorf("write %s: already finished", filepath.Base(f.name))
	}
	base := filepath.Base(f.name)
	fail := func(err error) error {
		f.Abort()
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err := f.File.Chmod(f.perm); err != nil {
		return fail(err)
	}
	if err := f.File.Sync(); err != nil {
		return fail(fmt.Errorf("sync: %w", err))
	}
	if err := f.File.Close(); err != nil {
		f.done = true
		os.Remove(f.tmp)
		return fmt.Errorf("write %s: %w", base, err)
	}
	f.done = true
	if err := os.Rename(f.tmp, f.name); err != nil {
		os.Remove(f.tmp)
		return fmt.Errorf("write %s: %w", base, err)
	}
	if d, err := os.Open(filepath.Dir(f.name)); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil && !errors.Is(err, unix.EINVAL) {
			return fmt.Errorf("write %s: sync directory: %w", base, err)
		}
	}
	return nil
}

// createTemp creates a new file next to base that did not exist before.
func createTemp(dir, base string) (string, int, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatInt(time.Now().UnixNano(), 36)+strconv.Itoa(i))
		fd, err := unix.Open(name, unix.O_RDWR|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0o600)
		if errors.Is(err, unix.EEXIST) && i < 100 {
			continue
		}
		if err != nil {
			return "", -1, err
		}
		return name, fd, nil
	}
}

func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "symlink"
	case m&os.ModeNamedPipe != 0:
		return "fifo"
	case m.IsDir():
		return "directory"
	}
	return "special file"
}
