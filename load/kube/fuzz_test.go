package kube

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// seeds are the hostile inputs of RELIABILITY.md §5 and the fixtures.
func seeds(f *testing.F) {
	for _, s := range []string{
		billionLaughs(),
		"a: &x [*x]\n",
		// Small versions of the deep nesting cases (TestHostile has the
		// full ones): the fuzzer mutates and minimises seeds many times.
		"a: " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
		blockNesting(40),
		"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: good:1\n    image: evil:1\n",
		`{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "image": "a", "Image": "b"}]}}`,
		"enabled: no\nmode: 0755\non: yes\ny: 1\nn: 2\n",
		strings.Repeat("---\n", 100),
		"a: \xff\n", "a: \x00\n", "\xff\xfea\x00", "\xef\xbb\xbfa: 1\r\nb: 2\r\n",
		"apiVersion: apps/v1\nkind: Deployment\nspec: {replicas: three, template: {spec: {containers: {}}}}\n",
		"metadata: {name: nokind}\n",
		"apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\e[2Kb\", deletionTimestamp: '2026-01-01T00:00:00Z'}\n",
		"a: ! 12\nb: !!str 3\nc: <<\n<<: {d: 1}\n",
		"x: 2001-01-01\ny2: 1_000\nz: 0b101\nw: -0b11\nv: .5\nu: 1e400\nt: 0o17\ns: 0x_1F\n",
		"a: 1\n...\nb: 2\n",
		"? [a]\n: b\n",
		"\"y\": 1\ny: 2\n",
	} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/*.yaml")
	json, _ := filepath.Glob("testdata/*.json")
	for _, p := range append(files, json...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
}

// FuzzDecode checks that no input panics or escapes the file, that every
// problem is located in it, and that the shortcut for documents without
// workloads gives what the full path gives.
func FuzzDecode(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<13 { // small inputs keep the fuzzer (and its minimiser) fast
			return
		}
		file := &model.File{}
		Decode(file, "fuzz.yaml", data, Options{MaxObjectBytes: 1 << 16, MaxDocuments: 64})
		for _, p := range file.Problems {
			if p.Location.File != "fuzz.yaml" || p.Location.Line < 1 || p.Err == nil {
				t.Fatalf("problem %+v is not located", p)
			}
			if strings.Contains(p.Err.Error(), "internal error") {
				t.Fatalf("decoding panicked: %v", p.Err)
			}
		}
		for _, w := range file.Workloads {
			if w.Location.File != "fuzz.yaml" {
				t.Fatalf("workload located in %q", w.Location.File)
			}
		}
		full := &model.File{}
		decode(full, "fuzz.yaml", data, Options{MaxObjectBytes: 1 << 16, MaxDocuments: 64}, true)
		if a, b := string(render(t, full)), string(render(t, file)); a != b {
			t.Fatalf("the shortcut for documents without workloads changes the result:\n%s\n%s", a, b)
		}
	})
}

// FuzzJSONMatchesSigsYAML is the differential test of fastJSON: whenever it
// converts a document, the reference conversion (sigs.k8s.io/yaml) accepts
// the same document and gives the same bytes. When fastJSON declines, the
// reference is used, so there is nothing to compare.
func FuzzJSONMatchesSigsYAML(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<13 { // small inputs keep the fuzzer (and its minimiser) fast
			return
		}
		checkFastJSON(t, data)
	})
}

// checkFastJSON compares fastJSON with the reference on one document and
// reports whether the fast path took it.
func checkFastJSON(t *testing.T, data []byte) bool {
	t.Helper()
	var n yaml.Node
	if safeUnmarshal(data, &n) != nil {
		return false
	}
	got, ok := fastJSON(data, &n)
	if !ok {
		return false
	}
	want, err := toJSON(data)
	if err != nil {
		t.Fatalf("fastJSON accepted %q as %s; the reference refuses it: %v", data, got, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("fastJSON(%q) = %s, reference %s", data, got, want)
	}
	return true
}

// TestFastJSONMatchesCorpus runs the differential check over every document
// of the corpus and the fixtures, and checks that the fast path takes most
// of them.
func TestFastJSONMatchesCorpus(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/*.yaml")
	paths = append(paths, corpusFiles(t)...)
	var docs, fast int
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		_ = split(bytes.TrimPrefix(data, bomUTF8), DefaultMaxObjectBytes, DefaultMaxDocuments, func(d document) {
			docs++
			if checkFastJSON(t, d.data) {
				fast++
			}
		})
	}
	t.Logf("fast path took %d of %d documents", fast, docs)
	if fast*10 < docs*8 {
		t.Errorf("fast path took only %d of %d documents", fast, docs)
	}
}

// TestFastJSONEdges runs the differential check on inputs where go-yaml v2
// and v3 are known or suspected to differ. Each must either be declined by
// fastJSON or converted exactly as the reference does.
func TestFastJSONEdges(t *testing.T) {
	t.Parallel()
	var fast int
	for _, in := range []string{
		strings.Repeat("k", 1100) + ": v\n",
		"a:\n\tb: 1\n",
		"a: 1\t# tab before comment\n",
		"a:\t1\n",
		"a: b\rc: d\r",
		"a: b\u0085c: d\n",
		"a: b\u2028c: d\n",
		"a: \ufeffb\n",
		"a: 1\n...\nb: 2\n",
		"a: 1\n--- \nb: 2\n",
		"a: multi\n  line\n\n  plain\n",
		"a: 'it''s'\nb: \"\\u00e9\\x41\\t\"\n",
		"a: |\n  x\n b\n",
		"a: >-\n  folded\n  text\n\n",
		"a: [1, 2,]\n",
		"a: {b: 1,}\n",
		"{a: 1, b}\n",
		"[a, b]: c\n",
		"a: b: c\n",
		"- a\nb: c\n",
		"a: - b\n",
		"a: 1\n a: 2\n",
		"\"a\\\nb\": 1\n",
		"a: @b\n",
		"a: `b\n",
		"a: %b\n",
		"a: 0o17\nb: 0O17\nc: 017\nd: 08\ne: 0x\nf: 1__0\ng: +0x1F\nh: -0x1F\n",
		"a: 1.5e+3\nb: 1e3\nc: .5\nd: -.5e-2\ne: 1.\nf: 9223372036854775808\ng: 18446744073709551616\n",
		"a: 2001-12-14t21:59:43.10-05:00\nb: 2001-12-14 21:59:43.10\nc: 2002-1-2\nd: 12:30:00\ne: 1:20\n",
		"a: <b>&amp;</b>\nb: \"\\u2028\"\n",
		"a: \"\\xff\"\n",
		"? a\n: b\n",
		"a: ? b\n",
		"&a a: b\n",
		"a: !!binary aGVsbG8=\n",
	} {
		if checkFastJSON(t, []byte(in)) {
			fast++
		}
	}
	// Most of them are plain documents that must take the fast path.
	t.Logf("fast path took %d edge cases", fast)
	if fast < 20 {
		t.Errorf("fast path took only %d edge cases", fast)
	}
}
