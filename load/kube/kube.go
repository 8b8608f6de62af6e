package kube

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// Default limits, from RELIABILITY.md: the API server's 3 MiB object cap
// and a stream cap well above any real manifest.
const (
	DefaultMaxObjectBytes = 3 << 20
	DefaultMaxDocuments   = 10000
)

// Options bound decoding.
type Options struct {
	// MaxObjectBytes caps one document; MaxDocuments caps the documents of
	// one stream. Zero means the package default.
	MaxObjectBytes int64
	MaxDocuments   int
}

func (o Options) withDefaults() Options {
	if o.MaxObjectBytes <= 0 {
		o.MaxObjectBytes = DefaultMaxObjectBytes
	}
	if o.MaxDocuments <= 0 {
		o.MaxDocuments = DefaultMaxDocuments
	}
	return o
}

// Load decodes a manifest stream read from path.
func Load(path string, data []byte, opts Options) *model.File {
	f := &model.File{Path: path, Format: "kubernetes"}
	Decode(f, path, data, opts)
	return f
}

var (
	bomUTF8    = []byte("\xef\xbb\xbf")
	bomUTF16LE = []byte("\xff\xfe")
	bomUTF16BE = []byte("\xfe\xff")
)

// Decode decodes a manifest stream and appends its workloads and problems to
// f, locating them in path. Helm and Kustomize loaders call it with the path
// of each rendered template.
//
// Documents are bounded before they are parsed; a document over the size
// limit, a stream over the document limit or a malformed separator stops
// the stream with a Rejected problem at the document's line.
func Decode(f *model.File, path string, data []byte, opts Options) {
	decode(f, path, data, opts, false)
}

// decode is Decode; with full, every document takes the full path (the
// tests compare the two).
func decode(f *model.File, path string, data []byte, opts Options, full bool) {
	opts = opts.withDefaults()
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		// kubectl and the API server read UTF-8 only.
		f.Problems = append(f.Problems, rejected(model.Location{File: path, Line: 1}, "",
			errors.New("stream is UTF-16; manifests must be UTF-8")))
		return
	}
	// A UTF-8 byte order mark is accepted by the YAML parser; strip it so
	// that a separator on the first line is still seen.
	data = bytes.TrimPrefix(data, bomUTF8)
	d := &decoder{f: f, path: path, full: full}
	err := split(data, opts.MaxObjectBytes, opts.MaxDocuments, d.document)
	var le *limitError
	if errors.As(err, &le) {
		f.Problems = append(f.Problems, rejected(model.Location{File: path, Line: le.line}, "", le))
	}
}

// decoder appends what one stream holds to its file.
type decoder struct {
	f    *model.File
	path string
	full bool // no shortcut for documents without workloads
}

// document decodes one document of the stream. A panic while decoding is
// turned into a Rejected problem for that document: this is a backstop
// that keeps one hostile document from stopping the scan of the others;
// decoding is not expected to panic, and the fuzz target checks that.
func (d *decoder) document(doc document) {
	defer func() {
		if r := recover(); r != nil {
			d.f.Problems = append(d.f.Problems, rejected(model.Location{File: d.path, Line: doc.line}, "",
				fmt.Errorf("internal error decoding document: %v", r)))
		}
	}()
	// One parse gives the positions and, for most documents, the JSON;
	// the reference conversion decides everything else.
	var n yaml.Node
	parsed := safeUnmarshal(doc.data, &n) == nil
	if !parsed {
		n = yaml.Node{}
	}
	if parsed && !d.full && declaresNoWorkload(doc.data, &n) {
		return // valid, and nothing to load
	}
	j, ok := []byte(nil), false
	if parsed {
		j, ok = fastJSON(doc.data, &n)
	}
	if !ok {
		var err error
		if j, err = toJSON(doc.data); err != nil {
			d.f.Problems = append(d.f.Problems, d.yamlProblem(doc, err))
			return
		}
	}
	if bytes.Equal(j, []byte("null")) {
		return // a document holding only "~", "null" or "...".
	}
	// A document the tree parser refused, but the reference accepted, is
	// located at its start.
	root := newPos(d.path, doc, &n)
	// When the tree gave the JSON, it also gives the head, saving a decode.
	var known *head
	if h, headOK := treeHead(&n); ok && headOK && !d.full {
		known = &h
	}
	d.object(j, func() pos { return root }, 0, known)
}
