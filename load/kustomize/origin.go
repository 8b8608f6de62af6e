package kustomize

import (
	"bytes"
	"regexp"
	"strings"
)

// originIndex finds where documents start in origin files, reading each
// file once.
type originIndex struct {
	docs map[string][]doc
}

// doc is one document of a file: its first non-blank line and its kind and
// name.
type doc struct {
	Start      int
	Kind, Name string
}

func newOriginIndex() *originIndex { return &originIndex{docs: map[string][]doc{}} }

// start returns the line where the document declaring kind/name starts in
// file, or 0 when it cannot be found.
func (x *originIndex) start(file, kind, name string) int {
	docs, ok := x.docs[file]
	if !ok {
		data, err := readBounded(file, MaxFileBytes)
		if err == nil {
			docs = splitDocs(data)
		}
		x.docs[file] = docs
	}
	// Build annotations, which keep the names an object had before
	// namePrefix and nameSuffix, are gone after the build: match the
	// declared name exactly, else the longest declared name the built
	// name contains.
	best, bestLen := 0, 0
	for _, d := range docs {
		if d.Kind != kind || d.Name == "" {
			continue
		}
		if d.Name == name {
			return d.Start
		}
		if strings.Contains(name, d.Name) && len(d.Name) > bestLen {
			best, bestLen = d.Start, len(d.Name)
		}
	}
	return best
}

var (
	kindLine = regexp.MustCompile(`^kind:\s*["']?([^"'\s#]+)`)
	nameLine = regexp.MustCompile(`^  name:\s*["']?([^"'\s#]+)`)
)

// splitDocs scans a YAML stream for its documents' first content lines and
// their top-level kind and metadata name. It is a line scan, not a parse:
// it only places objects that kustomize has already parsed.
func splitDocs(data []byte) []doc {
	var docs []doc
	cur := doc{}
	inMeta := false
	for i, line := range bytes.Split(data, []byte("\n")) {
		n := i + 1
		line = bytes.TrimRight(line, "\r")
		if bytes.HasPrefix(line, []byte("---")) {
			if cur.Start != 0 {
				docs = append(docs, cur)
			}
			cur, inMeta = doc{}, false
			continue
		}
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			continue
		}
		if cur.Start == 0 {
			// kyaml keeps a document's head comment, so the
			// document starts at its first comment.
			cur.Start = n
		}
		if trimmed[0] == '#' {
			continue
		}
		if line[0] != ' ' {
			inMeta = bytes.HasPrefix(line, []byte("metadata:"))
		}
		if m := kindLine.FindSubmatch(line); m != nil {
			cur.Kind = string(m[1])
		}
		if m := nameLine.FindSubmatch(line); inMeta && m != nil && cur.Name == "" {
			cur.Name = string(m[1])
		}
	}
	if cur.Start != 0 {
		docs = append(docs, cur)
	}
	return docs
}
