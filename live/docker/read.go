package docker

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
)

// maxReadBytes bounds the archive bytes read from one side of one
// container; a writable layer bigger than this is not checked.
const maxReadBytes = 8 << 30

// errGone reports that the container went away while it was read.
var errGone = errors.New("container removed during the check")

// readItem is one path to read from a container's filesystem.
type readItem struct {
	Path string
	// Recursive reads the whole subtree; otherwise only the entry itself
	// (for a directory, its own metadata).
	Recursive bool
}

// readTree reads items from the filesystem of container id (running,
// stopped or never started) into one snapshot, through the engine's
// archive API. A path that does not exist is absent from the snapshot.
func readTree(ctx context.Context, eng Engine, id string, items []readItem) (*drift.Snapshot, error) {
	return readWith(ctx, func(w io.Writer) error { return writeItems(ctx, eng, id, items, w) })
}

// readWith reads the tar stream that write produces into a snapshot.
func readWith(ctx context.Context, write func(io.Writer) error) (*drift.Snapshot, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	s, err := drift.ReadTar(ctx, pr)
	pr.CloseWithError(errors.New("reader done"))
	if err != nil {
		return nil, err
	}
	return s, nil
}

// writeItems writes the archives of items as one tar stream whose names are
// absolute paths of the container.
func writeItems(ctx context.Context, eng Engine, id string, items []readItem, w io.Writer) error {
	tw := tar.NewWriter(w)
	budget := &countingLimit{left: maxReadBytes}
	for _, it := range items {
		rc, _, err := eng.CopyFromContainer(ctx, id, it.Path)
		if err != nil {
			if client.IsErrNotFound(err) {
				if strings.Contains(err.Error(), "No such container") {
					return errGone
				}
				continue // the path does not exist on this side
			}
			return fmt.Errorf("read %s: %w", it.Path, err)
		}
		err = copyItem(tw, tar.NewReader(rc), it, budget)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

// copyItem copies one archive into tw, renaming its entries from names
// relative to the parent of it.Path to absolute paths.
func copyItem(tw *tar.Writer, tr *tar.Reader, it readItem, budget *countingLimit) error {
	dir := path.Dir(it.Path)
	for first := true; ; first = false {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", it.Path, err)
		}
		if !first && !it.Recursive {
			return nil
		}
		name := path.Join(dir, hdr.Name)
		if name != it.Path && !strings.HasPrefix(name, strings.TrimSuffix(it.Path, "/")+"/") {
			return fmt.Errorf("read %s: archive entry outside the requested path", it.Path)
		}
		hdr.Name = name
		if hdr.Typeflag == tar.TypeLink {
			hdr.Linkname = path.Join(dir, hdr.Linkname)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		budget.r = tr
		if _, err := io.Copy(tw, budget); err != nil {
			return fmt.Errorf("read %s: %w", it.Path, err)
		}
	}
}

// countingLimit reads from r and fails once more than left bytes were read
// in total.
type countingLimit struct {
	r    io.Reader
	left int64
}

func (c *countingLimit) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, fmt.Errorf("more than %d bytes to read", int64(maxReadBytes))
	}
	return n, err
}

// normalize sorts items and drops those a recursive item above covers.
func normalize(items []readItem) []readItem {
	sort.Slice(items, func(i, j int) bool {
		if items[i].Path != items[j].Path {
			return drift.Less(items[i].Path, items[j].Path)
		}
		return items[i].Recursive && !items[j].Recursive
	})
	var out []readItem
	cover := ""
	for _, it := range items {
		if cover != "" && (it.Path == cover || strings.HasPrefix(it.Path, cover+"/")) {
			continue
		}
		if len(out) > 0 && out[len(out)-1].Path == it.Path {
			continue
		}
		out = append(out, it)
		if it.Recursive {
			cover = it.Path
		}
	}
	return out
}
