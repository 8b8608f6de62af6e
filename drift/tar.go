package drift

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// ErrUnsafePath is returned for an archive entry whose name or hard-link
// target leaves the tree ("../x").
var ErrUnsafePath = errors.New("unsafe path in archive")

// Limits on archives, applied per snapshot: entries, and content bytes as
// read (a sparse or compressed entry counts with its expanded size).
const (
	maxArchiveEntries = 10_000_000
	maxArchiveBytes   = 256 << 30
	// maxNameLen is PATH_MAX: no tree can hold a longer name, and a PAX
	// header can claim megabytes (each parent would then be recorded).
	maxNameLen = 4096
)

// ReadTar reads an uncompressed tar stream (a rootfs archive) into a
// Snapshot without writing anything to disk.
func ReadTar(ctx context.Context, r io.Reader) (*Snapshot, error) {
	lt := newLayeredTree()
	if err := lt.apply(ctx, r, false); err != nil {
		return nil, err
	}
	return lt.snapshot(), nil
}

// layeredTree accumulates archive layers in memory: each layer's entries
// replace the lower ones, and OCI whiteouts remove them.
type layeredTree struct {
	entries map[string]*Entry
	// budget is how many more content bytes may be read.
	budget int64
	// links maps a hard link to the first path of its inode.
	links   map[string]string
	content collected
	count   int
}

func newLayeredTree() *layeredTree {
	return &layeredTree{entries: map[string]*Entry{}, links: map[string]string{}, content: collected{}, budget: maxArchiveBytes}
}

// apply reads one tar layer. With whiteouts, ".wh.NAME" deletes NAME from
// the lower layers and ".wh..wh..opq" empties its directory of lower-layer
// entries (OCI image spec, layer.md "Whiteouts").
func (lt *layeredTree) apply(ctx context.Context, r io.Reader, whiteouts bool) error {
	tr := tar.NewReader(r)
	thisLayer := map[string]bool{}
	buf := make([]byte, hashBufSize)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read archive: %w", err)
		}
		if lt.count++; lt.count > maxArchiveEntries {
			return fmt.Errorf("read archive: more than %d entries", maxArchiveEntries)
		}
		p, err := cleanArchivePath(hdr.Name)
		if err != nil {
			return err
		}
		if base := path.Base(p); whiteouts && strings.HasPrefix(base, ".wh.") {
			dir := parent(p)
			if base == ".wh..wh..opq" {
				lt.removeBelow(dir, thisLayer)
			} else {
				lt.remove(join(dir, strings.TrimPrefix(base, ".wh.")))
			}
			continue
		}
		e, err := lt.entryFromHeader(p, hdr, tr, buf)
		if err != nil {
			return err
		}
		if old := lt.entries[p]; old != nil && old.Type == TypeDir && e.Type != TypeDir {
			lt.remove(p) // a file replacing a directory hides its contents
		}
		if hdr.Typeflag != tar.TypeLink {
			delete(lt.links, p)
		}
		lt.entries[p] = e
		thisLayer[p] = true
	}
}

// entryFromHeader records one archive entry, hashing its content.
func (lt *layeredTree) entryFromHeader(p string, hdr *tar.Header, tr *tar.Reader, buf []byte) (*Entry, error) {
	e := &Entry{Path: p, Mode: uint32(hdr.Mode) & 0o7777, UID: uint32(hdr.Uid), GID: uint32(hdr.Gid)}
	if c := hdr.PAXRecords["SCHILY.xattr.security.capability"]; c != "" {
		e.Caps = []byte(c)
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse:
		e.Type, e.Size, e.Nlink = TypeRegular, hdr.Size, 1
		d := sha256.New()
		sniff := &magicSniffer{}
		w := io.MultiWriter(d, sniff)
		var keep *limitedBuffer
		if max := collectLimit(p); max > 0 {
			keep = &limitedBuffer{max: max}
			w = io.MultiWriter(d, sniff, keep)
		}
		if hdr.Size > lt.budget {
			return nil, fmt.Errorf("read archive: more than %d content bytes", maxArchiveBytes)
		}
		lt.budget -= hdr.Size
		if _, err := io.CopyBuffer(w, tr, buf); err != nil {
			return nil, fmt.Errorf("read archive entry %q: %w", p, err)
		}
		copy(e.SHA256[:], d.Sum(nil))
		e.Exec = sniff.exec()
		delete(lt.content, p)
		if keep != nil && !keep.over {
			lt.content[p] = append([]byte{}, keep.b...)
		}
	case tar.TypeLink:
		target, err := cleanArchivePath(hdr.Linkname)
		if err != nil {
			return nil, err
		}
		t := lt.entries[target]
		if t == nil || t.Type != TypeRegular {
			return nil, fmt.Errorf("%w: hard link %q to missing or non-regular %q", ErrUnsafePath, p, target)
		}
		*e = *t
		e.Path = p
		lt.links[p] = lt.group(target)
		if c, ok := lt.content[target]; ok && collectLimit(p) > 0 {
			lt.content[p] = c
		}
	case tar.TypeDir:
		e.Type = TypeDir
	case tar.TypeSymlink:
		if len(hdr.Linkname) > maxNameLen {
			return nil, fmt.Errorf("%w: symlink target of %d bytes", ErrUnsafePath, len(hdr.Linkname))
		}
		e.Type, e.Link = TypeSymlink, hdr.Linkname
	case tar.TypeChar:
		e.Type, e.Major, e.Minor = TypeCharDevice, uint32(hdr.Devmajor), uint32(hdr.Devminor)
	case tar.TypeBlock:
		e.Type, e.Major, e.Minor = TypeBlockDevice, uint32(hdr.Devmajor), uint32(hdr.Devminor)
	case tar.TypeFifo:
		e.Type = TypeFIFO
	default:
		e.Type = TypeUnknown
	}
	return e, nil
}

// group returns the first path of p's hard-link group.
func (lt *layeredTree) group(p string) string {
	if g, ok := lt.links[p]; ok {
		return g
	}
	return p
}

// remove deletes p and everything below it.
func (lt *layeredTree) remove(p string) {
	for q := range lt.entries {
		if under(q, p) {
			delete(lt.entries, q)
			delete(lt.content, q)
		}
	}
}

// removeBelow deletes the lower-layer entries below dir (not dir itself).
func (lt *layeredTree) removeBelow(dir string, keep map[string]bool) {
	for q := range lt.entries {
		if q != dir && under(q, dir) && !keep[q] {
			delete(lt.entries, q)
			delete(lt.content, q)
		}
	}
}

// snapshot sorts the tree, fills in the directories the archive used without
// listing, counts hard links and parses the collected files.
func (lt *layeredTree) snapshot() *Snapshot {
	s := &Snapshot{}
	if lt.entries["/"] == nil {
		lt.entries["/"] = &Entry{Path: "/", Type: TypeDir, Implicit: true}
	}
	for p := range lt.entries {
		for d := parent(p); d != ""; d = parent(d) {
			if lt.entries[d] != nil {
				break
			}
			lt.entries[d] = &Entry{Path: d, Type: TypeDir, Implicit: true}
		}
	}
	// Link count of each hard-link group still present in the tree.
	counts := map[string]uint32{}
	for p, e := range lt.entries {
		if e.Type == TypeRegular {
			counts[lt.group(p)]++
		}
	}
	for p, e := range lt.entries {
		if e.Type == TypeRegular {
			e.Nlink = counts[lt.group(p)]
		}
		s.Entries = append(s.Entries, *e)
	}
	sortEntries(s.Entries)
	lt.content.finish(s)
	return s
}

// cleanArchivePath turns an archive name into a tree path, refusing names
// that climb out of the tree.
func cleanArchivePath(name string) (string, error) {
	if len(name) > maxNameLen {
		return "", fmt.Errorf("%w: name of %d bytes", ErrUnsafePath, len(name))
	}
	for _, c := range strings.Split(name, "/") {
		if c == ".." {
			return "", fmt.Errorf("%w: %q", ErrUnsafePath, name)
		}
	}
	if strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%w: NUL in %q", ErrUnsafePath, name)
	}
	return path.Clean("/" + name), nil
}

// Layer opens the uncompressed tar stream of one image layer.
type Layer func() (io.ReadCloser, error)

// ReadLayers applies image layers in order, with OCI whiteouts, into one
// Snapshot, streaming each layer once and writing nothing to disk.
func ReadLayers(ctx context.Context, layers []Layer) (*Snapshot, error) {
	lt := newLayeredTree()
	for i, open := range layers {
		rc, err := open()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
		err = lt.apply(ctx, rc, true)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", i+1, err)
		}
	}
	return lt.snapshot(), nil
}
