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
	f, size, err := openRegular(name, max)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*os.File, []byte, error) {
		f.Close()
		return nil, nil, err
	}
	// One buffer of the size the file has (io.ReadAll would double its
	// way there, twice the memory at the peak); a file that grew since
	// the stat is read on, still bounded.
	b := make([]byte, size)
	n, err := io.ReadFull(f, b)
	switch {
	case err == io.ErrUnexpectedEOF:
		b = b[:n]
	case err != nil && err != io.EOF:
		return fail(err)
	}
	if int64(n) == size {
		rest, err := io.ReadAll(io.LimitReader(f, max-size+1))
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

// openRegular opens a regular file of at most max bytes with
// O_NOFOLLOW|O_NONBLOCK and returns it with its size.
func openRegular(name string, max int64) (*os.File, int64, error) {
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, 0, &os.PathError{Op: "open", Path: name, Err: err}
	}
	f := os.NewFile(uintptr(fd), name)
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = fmt.Errorf("%s: not a regular file", name)
	case fi.Size() > max:
		err = fmt.Errorf("%s: larger than %d bytes", name, max)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, fi.Size(), nil
}
