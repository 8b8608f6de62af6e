package drift

import (
	"archive/tar"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
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
// replace the lower ones, and OCI whiteouts remove them. The tree is kept
// as a prefix tree of path components, so that a whiteout removes a name
// and everything below it in O(depth) instead of scanning every path, and
// the snapshot comes out in Less order without a sort.
type layeredTree struct {
	root *node
	// layer numbers the layer being applied (from 1).
	layer int
	// budget is how many more content bytes may be read.
	budget int64
	// links maps a hard link to the first path of its inode.
	links   map[string]string
	content collected
	count   int
}

// node is one path of the tree: its entry (nil for a directory only
// implied by its children) and the layer that recorded it.
type node struct {
	entry *Entry
	layer int
	kids  map[string]*node
}

func newLayeredTree() *layeredTree {
	return &layeredTree{root: &node{}, links: map[string]string{}, content: collected{}, budget: maxArchiveBytes}
}

// find returns the node of p, creating it and its parents when create is
// set, or nil.
func (lt *layeredTree) find(p string, create bool) *node {
	n := lt.root
	for rest := strings.TrimPrefix(p, "/"); rest != ""; {
		name := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			name, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		k := n.kids[name]
		if k == nil {
			if !create {
				return nil
			}
			if n.kids == nil {
				n.kids = map[string]*node{}
			}
			k = &node{}
			n.kids[name] = k
		}
		n = k
	}
	return n
}

// get returns the entry at p, or nil.
func (lt *layeredTree) get(p string) *Entry {
	if n := lt.find(p, false); n != nil {
		return n.entry
	}
	return nil
}

// set records e at its path for the current layer.
func (lt *layeredTree) set(e *Entry) {
	n := lt.find(e.Path, true)
	n.entry, n.layer = e, lt.layer
}

// apply reads one tar layer. With whiteouts, ".wh.NAME" deletes NAME from
// the lower layers and ".wh..wh..opq" empties its directory of lower-layer
// entries (OCI image spec, layer.md "Whiteouts").
func (lt *layeredTree) apply(ctx context.Context, r io.Reader, whiteouts bool) error {
	tr := tar.NewReader(r)
	lt.layer++
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
				lt.removeBelow(dir)
			} else {
				lt.remove(join(dir, strings.TrimPrefix(base, ".wh.")))
			}
			continue
		}
		e, err := lt.entryFromHeader(p, hdr, tr, buf)
		if err != nil {
			return err
		}
		if old := lt.find(p, false); old != nil && old.entry != nil && old.layer == lt.layer && !old.entry.Implicit && (old.entry.Type != TypeDir || e.Type != TypeDir) {
			// Extraction keeps the last copy and another reader may keep
			// the first: within one archive, the same path twice is
			// refused (a directory listed twice is harmless). Across
			// layers the later one overrides, as in an image build.
			return fmt.Errorf("read archive: %s is listed twice in one archive", p)
		}
		if old := lt.find(p, false); old != nil && old.entry != nil && old.entry.Type == TypeDir && e.Type != TypeDir {
			old.kids = nil // a file replacing a directory hides its contents
		}
		if hdr.Typeflag != tar.TypeLink {
			delete(lt.links, p)
		}
		lt.set(e)
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
		t := lt.get(target)
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
	if p == "/" {
		lt.root = &node{}
		return
	}
	if dir := lt.find(parent(p), false); dir != nil {
		delete(dir.kids, p[strings.LastIndexByte(p, '/')+1:])
	}
}

// removeBelow deletes the lower-layer entries below dir (not dir itself);
// what the current layer recorded there stays. Each entry is removed once,
// so the work is amortized over the entries the layers added.
func (lt *layeredTree) removeBelow(dir string) {
	if n := lt.find(dir, false); n != nil {
		lt.prune(n)
	}
}

// prune drops the lower-layer entries below n; it reports whether n still
// holds anything of the current layer.
func (lt *layeredTree) prune(n *node) bool {
	for name, k := range n.kids {
		keep := lt.prune(k)
		if k.entry != nil && k.layer == lt.layer {
			keep = true
		} else if k.entry != nil && keep {
			// A lower directory kept only for what this layer put below
			// it: its own metadata is gone, as if implied.
			k.entry = nil
		}
		if !keep {
			delete(n.kids, name)
		}
	}
	return len(n.kids) > 0
}

// snapshot walks the tree in Less order, fills in the directories the
// archive used without listing, counts hard links and parses the collected
// files still present.
func (lt *layeredTree) snapshot() *Snapshot {
	s := &Snapshot{}
	var visit func(p string, n *node)
	visit = func(p string, n *node) {
		e := n.entry
		if e == nil {
			e = &Entry{Path: p, Type: TypeDir, Implicit: true}
		}
		s.Entries = append(s.Entries, *e)
		names := make([]string, 0, len(n.kids))
		for name := range n.kids {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			visit(join(p, name), n.kids[name])
		}
	}
	visit("/", lt.root)
	// Link count of each hard-link group still present in the tree.
	counts := map[string]uint32{}
	for i := range s.Entries {
		if e := &s.Entries[i]; e.Type == TypeRegular {
			counts[lt.group(e.Path)]++
		}
	}
	present := collected{}
	for i := range s.Entries {
		e := &s.Entries[i]
		if e.Type != TypeRegular {
			continue
		}
		e.Nlink = counts[lt.group(e.Path)]
		if c, ok := lt.content[e.Path]; ok {
			present[e.Path] = c
		}
	}
	present.finish(s)
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
