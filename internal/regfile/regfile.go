package regfile

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// NotRegularError is returned for a path that exists but is not a regular
// file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string { return e.Path + ": " + e.Reason() }

// Reason is the message without the path, for a caller whose location
// already names the file.
func (e *NotRegularError) Reason() string {
	return fmt.Sprintf("not a regular file (%s)", kind(e.Mode))
}

// TooLargeError is returned for a file over the size its reader allows.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than the limit of %d bytes", e.Path, e.Limit)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	}
	return "mode " + m.Type().String()
}

// Open opens name for reading without blocking and returns it with its
// information; anything but a regular file is a *NotRegularError. The
// descriptor is put back in blocking mode, which changes nothing for a
// regular file.
func Open(name string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Path: name, Mode: info.Mode()}
	}
	return f, info, nil
}

// ReadFile reads the regular file name of at most limit bytes. The size is
// checked before reading and again while reading, for a file that grows.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, info, err := Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > limit {
		return nil, &TooLargeError{Path: name, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Path: name, Limit: limit}
	}
	return data, nil
}

// Check reports whether name, if it exists, is a regular file: nil for a
// regular file, a *NotRegularError for anything else, and the error of
// os.Stat (fs.ErrNotExist included) when it cannot be examined.
func Check(name string) error {
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return &NotRegularError{Path: name, Mode: info.Mode()}
	}
	return nil
}
