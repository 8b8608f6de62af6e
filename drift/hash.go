package drift

import (
	"crypto/sha256"
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// hashJob is one regular file to read: its entry index, path relative to
// the root, the lstat result it must still match, and how much of its
// content to keep (0: none).
type hashJob struct {
	index   int
	path    string
	st      unix.Stat_t
	collect int64
}

// hashResult is what reading a file found.
type hashResult struct {
	index   int
	sum     [32]byte
	caps    []byte
	exec    bool
	status  Status
	err     string
	content []byte
}

// hasher reads files in parallel. Memory is bounded: each worker owns one
// buffer, and only the few files a snapshot parses are kept.
type hasher struct {
	rootFD int
	opts   WalkOptions
}

const hashBufSize = 256 << 10

// startHashers starts the workers; each exits when jobs is closed, and
// every job gets exactly one result.
func startHashers(rootFD int, opts WalkOptions, jobs <-chan hashJob, results chan<- hashResult) {
	h := &hasher{rootFD: rootFD, opts: opts}
	for range opts.Workers {
		go func() {
			buf := make([]byte, hashBufSize)
			for j := range jobs {
				results <- h.hash(j, buf)
			}
		}()
	}
}

// hash opens one file beneath the root without following any symlink,
// checks it is the inode that was listed, and digests it. A file that grows,
// shrinks or is touched while it is read is StatusChanged.
func (h *hasher) hash(j hashJob, buf []byte) hashResult {
	r := hashResult{index: j.index}
	if h.opts.MaxFileSize > 0 && j.st.Size > h.opts.MaxFileSize {
		r.status, r.err = StatusTooLarge, "larger than the hashing limit"
		return r
	}
	fd, err := h.open(j.path)
	if err != nil {
		r.status, r.err = StatusUnreadable, errText(err)
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOENT) || errors.Is(err, unix.EXDEV) {
			r.status = StatusChanged
		}
		return r
	}
	f := os.NewFile(uintptr(fd), j.path)
	defer f.Close()
	var before unix.Stat_t
	if err := unix.Fstat(fd, &before); err != nil {
		r.status, r.err = StatusUnreadable, errText(err)
		return r
	}
	if !sameFile(&j.st, &before) {
		r.status, r.err = StatusChanged, "replaced between listing and opening"
		return r
	}
	r.caps = getCaps(fd)
	d := sha256.New()
	sniff := &magicSniffer{}
	w := io.MultiWriter(d, sniff)
	var keep *limitedBuffer
	if j.collect > 0 {
		keep = &limitedBuffer{max: j.collect}
		w = io.MultiWriter(d, sniff, keep)
	}
	n, err := io.CopyBuffer(w, io.LimitReader(f, before.Size+1), buf)
	r.exec = sniff.exec()
	if err != nil {
		r.status, r.err = StatusUnreadable, errText(err)
		return r
	}
	var after unix.Stat_t
	if err := unix.Fstat(fd, &after); err != nil || n != before.Size || !sameFile(&before, &after) {
		r.status, r.err = StatusChanged, "modified while it was read"
		return r
	}
	copy(r.sum[:], d.Sum(nil))
	if keep != nil {
		if keep.over {
			r.err = "too large to parse"
		} else {
			r.content = keep.b
			if r.content == nil {
				r.content = []byte{}
			}
		}
	}
	return r
}

// open opens path beneath the root with openat2 (no symlink anywhere on
// the path, never above the root), falling back to a plain O_NOFOLLOW open
// on kernels without openat2; the fstat comparison then catches a swapped
// parent.
func (h *hasher) open(path string) (int, error) {
	how := unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NOFOLLOW | unix.O_NONBLOCK | unix.O_CLOEXEC | unix.O_NOCTTY,
		Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS | unix.RESOLVE_BENEATH,
	}
	if !h.opts.CrossFilesystems {
		how.Resolve |= unix.RESOLVE_NO_XDEV
	}
	fd, err := unix.Openat2(h.rootFD, path[1:], &how)
	if errors.Is(err, unix.ENOSYS) {
		fd, err = unix.Openat(h.rootFD, path[1:], int(how.Flags), 0)
	}
	return fd, err
}

// sameFile reports whether two stat results describe the same unchanged
// regular file.
func sameFile(a, b *unix.Stat_t) bool {
	return a.Dev == b.Dev && a.Ino == b.Ino && a.Mode == b.Mode && a.Size == b.Size &&
		a.Mtim == b.Mtim && a.Ctim == b.Ctim
}

// getCaps returns the security.capability attribute of an open file.
func getCaps(fd int) []byte {
	buf := make([]byte, 64)
	n, err := unix.Fgetxattr(fd, "security.capability", buf)
	if err != nil || n <= 0 {
		return nil
	}
	return buf[:n]
}

// magicSniffer keeps the first bytes written to it, to tell executables by
// their header.
type magicSniffer struct {
	head []byte
}

func (m *magicSniffer) Write(p []byte) (int, error) {
	if need := 4 - len(m.head); need > 0 {
		m.head = append(m.head, p[:min(need, len(p))]...)
	}
	return len(p), nil
}

// exec reports an ELF or "#!" header.
func (m *magicSniffer) exec() bool {
	return isExecHeader(m.head)
}

// isExecHeader reports whether content starting with b is an ELF binary or
// a script.
func isExecHeader(b []byte) bool {
	return len(b) >= 4 && string(b[:4]) == "\x7fELF" || len(b) >= 2 && string(b[:2]) == "#!"
}

// limitedBuffer keeps up to max bytes and notes whether more came.
type limitedBuffer struct {
	b    []byte
	max  int64
	over bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if int64(len(l.b)+len(p)) > l.max {
		l.over = true
		l.b = nil
		return len(p), nil
	}
	if !l.over {
		l.b = append(l.b, p...)
	}
	return len(p), nil
}
