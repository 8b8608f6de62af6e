package baseline

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readBounded reads a regular file of at most max bytes, opened with
// O_NOFOLLOW|O_NONBLOCK so that a planted symlink or FIFO is refused rather
// than followed or waited on.
func readBounded(name string, max int64) ([]byte, error) {
	f, b, err := openBounded(name, max)
	if f != nil {
		f.Close()
	}
	return b, err
}

// openBounded is readBounded that also returns the file, still open.
func openBounded(name string, max int64) (*os.File, []byte, error) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	fail := func(err error) (*os.File, []byte, error) {
		f.Close()
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if !fi.Mode().IsRegular() {
		return fail(fmt.Errorf("%s: not a regular file", name))
	}
	if fi.Size() > max {
		return fail(fmt.Errorf("%s: larger than %d bytes", name, max))
	}
	// One buffer of the size the file has (io.ReadAll would double its
	// way there, twice the memory at the peak); a file that grew since
	// the stat is read on, still bounded.
	b := make([]byte, fi.Size())
	n, err := io.ReadFull(f, b)
	switch {
	case err == io.ErrUnexpectedEOF:
		b = b[:n]
	case err != nil && err != io.EOF:
		return fail(err)
	}
	if int64(n) == fi.Size() {
		rest, err := io.ReadAll(io.LimitReader(f, max-fi.Size()+1))
		if err != nil {
			return fail(err)
		}
		b = append(b, rest...)
	}
	if int64(len(b)) > max {
		return fail(fmt.Errorf("%s: larger than %d bytes", name, max))
	}
	return f, b, nil
}
