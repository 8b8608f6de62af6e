package baseline

import (
	"bytes"
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
// new one: the data goes to a new temporary file in the same directory
// (created O_EXCL|O_NOFOLLOW, so never through a planted link), which is
// synced, renamed over name, and the directory synced (google/renameio
// semantics). A full disk leaves the old file untouched and the temporary
// file removed. An existing name that is not a regular file is refused.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	if fi, err := os.Lstat(name); err == nil && !fi.Mode().IsRegular() {
		return fmt.Errorf("write %s: refusing to replace a %s", filepath.Base(name), fileKind(fi.Mode()))
	}
	dir := filepath.Dir(name)
	tmp, fd, err := createTemp(dir, filepath.Base(name))
	if err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	f := os.NewFile(uintptr(fd), tmp)
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := bytes.NewReader(data).WriteTo(f); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", filepath.Base(name), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(name), err)
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		err = d.Sync()
		d.Close()
		if err != nil && !errors.Is(err, unix.EINVAL) {
			return fmt.Errorf("write %s: sync directory: %w", filepath.Base(name), err)
		}
	}
	return nil
}

// createTemp creates a new file next to base that did not exist before.
func createTemp(dir, base string) (string, int, error) {
	for i := 0; ; i++ {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatInt(time.Now().UnixNano(), 36)+strconv.Itoa(i))
		fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0o600)
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
