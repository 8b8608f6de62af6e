package docker

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// overlay reads paths of an overlay2 layer stack directly from the
// engine's storage on this host, the way the kernel's overlay filesystem
// merges it: the first layer (top) that has a path wins, a character
// device 0/0 is a whiteout that deletes the path from the layers below, and
// a directory with the trusted.overlay.opaque xattr hides the layers' below
// it. Written by hand because no library reads overlay2 layers without
// mounting them. Symbolic links are never followed: every component is
// opened with O_NOFOLLOW relative to its parent.
type overlay struct {
	layers []string // host directories, top first
}

// overlayOf returns the layer stack of a GraphDriver description, or nil
// when it is not overlay2 or not readable by this process.
func overlayOf(driver string, data map[string]string) *overlay {
	if driver != "overlay2" || data["UpperDir"] == "" {
		return nil
	}
	ls := []string{data["UpperDir"]}
	if low := data["LowerDir"]; low != "" {
		ls = append(ls, strings.Split(low, ":")...)
	}
	for _, l := range ls {
		if unix.Access(l, unix.R_OK|unix.X_OK) != nil {
			return nil
		}
	}
	return &overlay{layers: ls}
}

// found is a path located in one layer: the open parent directory and the
// entry's stat.
type found struct {
	dir  *os.File
	name string
	st   unix.Stat_t
}

// lookup finds p in the stack. ok is false when no layer has it or a
// whiteout or a non-directory ancestor hides it.
func (o *overlay) lookup(p string) (f found, ok bool, err error) {
	comps := strings.Split(strings.Trim(p, "/"), "/")
	for _, layer := range o.layers {
		dir, opaque, hidden, err := openParent(layer, comps)
		if err != nil {
			return found{}, false, err
		}
		if hidden {
			return found{}, false, nil
		}
		if dir != nil {
			var st unix.Stat_t
			err := unix.Fstatat(int(dir.Fd()), comps[len(comps)-1], &st, unix.AT_SYMLINK_NOFOLLOW)
			switch {
			case err == nil && isWhiteout(&st):
				dir.Close()
				return found{}, false, nil
			case err == nil:
				return found{dir: dir, name: comps[len(comps)-1], st: st}, true, nil
			case !errors.Is(err, unix.ENOENT):
				dir.Close()
				return found{}, false, fmt.Errorf("stat %s: %w", p, err)
			}
			dir.Close()
		}
		if opaque {
			return found{}, false, nil
		}
	}
	return found{}, false, nil
}

// openParent opens the parent directory of comps in one layer. dir is nil
// when the layer does not have it; opaque is true when an ancestor in this
// layer hides the lower layers; hidden when a whiteout or a non-directory
// ancestor in this layer deletes the path.
func openParent(layer string, comps []string) (dir *os.File, opaque, hidden bool, err error) {
	fd, err := unix.Open(layer, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, false, false, fmt.Errorf("open layer: %w", err)
	}
	for _, c := range comps[:len(comps)-1] {
		nfd, err := unix.Openat(fd, c, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			var st unix.Stat_t
			serr := unix.Fstatat(fd, c, &st, unix.AT_SYMLINK_NOFOLLOW)
			unix.Close(fd)
			if errors.Is(err, unix.ENOENT) {
				return nil, opaque, false, nil
			}
			if serr == nil && (errors.Is(err, unix.ENOTDIR) || errors.Is(err, unix.ELOOP)) {
				return nil, false, true, nil // a file, link or whiteout hides it
			}
			return nil, false, false, fmt.Errorf("open %s: %w", c, err)
		}
		unix.Close(fd)
		fd = nfd
		if isOpaque(fd) {
			opaque = true
		}
	}
	return os.NewFile(uintptr(fd), layer), opaque, false, nil
}

func isWhiteout(st *unix.Stat_t) bool {
	return st.Mode&unix.S_IFMT == unix.S_IFCHR && st.Rdev == 0
}

func isOpaque(fd int) bool {
	buf := make([]byte, 2)
	n, err := unix.Fgetxattr(fd, "trusted.overlay.opaque", buf)
	return err == nil && n == 1 && buf[0] == 'y'
}

// list returns the merged names of directory p.
func (o *overlay) list(p string) ([]string, error) {
	seen := map[string]bool{}
	var names []string
	comps := strings.Split(strings.Trim(p+"/x", "/"), "/")
	for _, layer := range o.layers {
		dir, opaque, hidden, err := openParent(layer, comps)
		if err != nil {
			return nil, err
		}
		if hidden {
			break
		}
		if dir != nil {
			ents, err := dir.ReadDir(-1)
			dir.Close()
			if err != nil {
				return nil, fmt.Errorf("list %s: %w", p, err)
			}
			for _, e := range ents {
				if seen[e.Name()] {
					continue
				}
				seen[e.Name()] = true // a whiteout hides lower entries too
				names = append(names, e.Name())
			}
		}
		if opaque {
			break
		}
	}
	sort.Strings(names)
	return names, nil
}

// writeItems writes the entries of items as one tar stream with absolute
// names; absent paths are skipped.
func (o *overlay) writeItems(items []readItem, w io.Writer) error {
	tw := tar.NewWriter(w)
	budget := &countingLimit{left: maxReadBytes}
	for _, it := range items {
		if err := o.writePath(tw, it.Path, it.Recursive, budget); err != nil {
			return err
		}
	}
	return tw.Close()
}

func (o *overlay) writePath(tw *tar.Writer, p string, recursive bool, budget *countingLimit) error {
	f, ok, err := o.lookup(p)
	if err != nil || !ok {
		return err
	}
	defer f.dir.Close()
	hdr, err := header(f, p)
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	if hdr.Typeflag == tar.TypeReg && hdr.Size > 0 {
		if err := copyContent(tw, f, p, budget); err != nil {
			return err
		}
	}
	if !recursive || hdr.Typeflag != tar.TypeDir {
		return nil
	}
	names, err := o.list(p)
	if err != nil {
		return err
	}
	for _, n := range names {
		if err := o.writePath(tw, path.Join(p, n), true, budget); err != nil {
			return err
		}
	}
	return nil
}
