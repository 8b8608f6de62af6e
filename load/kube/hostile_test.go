package kube

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// billionLaughs is the 9×9 alias bomb of CVE-2019-11253.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\n")
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for i := 'b'; i <= 'i'; i++ {
		p := string(i - 1)
		fmt.Fprintf(&b, "%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", i, i, p, p, p, p, p, p, p, p, p)
	}
	b.WriteString("data: {x: *i}\n")
	return b.String()
}

func blockNesting(levels int) string {
	var b strings.Builder
	for i := 0; i < levels; i++ {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("a:\n")
	}
	return b.String()
}

const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: c:1}]\n"

// TestHostile runs the hostile inputs of RELIABILITY.md §5 (cases 1–13):
// each is rejected with a located problem, or loaded as the API server
// would, without a panic and without running away.
func TestHostile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		opts Options
		// want is a substring of the only Rejected problem, at line; empty
		// means no Rejected problem.
		want      string
		line      int
		workloads int
	}{
		{name: "1 billion laughs", in: billionLaughs(), want: "excessive aliasing", line: 1},
		{name: "2 alias cycle", in: "a: &x [*x]\n", want: "anchor 'x' value contains itself", line: 1},
		{name: "3 flow nesting 20000", in: "a: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000), want: "exceeded max depth", line: 1},
		{name: "4 block nesting beyond the object cap", in: pod + "---\n" + blockNesting(12000), want: "document is larger than the limit of 3145728 bytes", line: 7, workloads: 1},
		{name: "5 duplicate keys", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: good:1\n    image: evil:1\n", want: `line 8: key "image" already set in map (key defined at lines 7 and 8)`, line: 8},
		{name: "5 duplicate keys in JSON", in: `{"apiVersion": "v1", "kind": "Pod", "kind": "Pod"}`, want: `key "kind" already set`, line: 1},
		{name: "8 object over 3 MiB", in: pod + "---\n" + "data: " + strings.Repeat("x", 3<<20) + "\n", want: "larger than the limit", line: 7, workloads: 1},
		{name: "8 object over a configured cap", in: pod + "---\n" + pod, opts: Options{MaxObjectBytes: 64}, want: "larger than the limit of 64 bytes", line: 1},
		{name: "9 a million empty documents", in: strings.Repeat("---\n", 1000000), want: "stream has more than 20001 empty documents", line: 20002},
		{name: "9 documents over a configured cap", in: pod + "---\n" + pod + "---\n" + pod, opts: Options{MaxDocuments: 2}, want: "more than 2 documents", line: 13, workloads: 2},
		{name: "10 invalid UTF-8", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: \xff}\n", want: "invalid leading UTF-8 octet", line: 3},
		{name: "10 NUL byte", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: a\x00b}\n", want: "control characters are not allowed", line: 3},
		{name: "10 UTF-16 BOM", in: "\xff\xfea\x00:\x00", want: "UTF-16", line: 1},
		{name: "10 UTF-8 BOM", in: "\xef\xbb\xbf---\n" + pod, workloads: 1},
		{name: "10 CRLF", in: strings.ReplaceAll(pod+"---\r\n"+pod, "\n", "\r\n"), workloads: 2},
		{name: "11 wrong type", in: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: three\n", want: "field spec.replicas: cannot decode string into int32", line: 5},
		{name: "11 containers is a map", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: {}\n", want: "field spec.containers: cannot decode object", line: 5},
		{name: "11 missing kind", in: "apiVersion: v1\nmetadata: {name: p}\n", want: "missing kind", line: 1},
		{name: "11 kind of the wrong type", in: "apiVersion: v1\nkind: [Pod]\n", want: "field kind: cannot decode array into string", line: 2},
		{name: "12 deletionTimestamp", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: [x/y]}\nspec:\n  containers: [{name: c, image: c:1}]\n", workloads: 1},
		{name: "13 ANSI escapes in names", in: "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\e[2K\\rb\"}\nspec:\n  containers: [{name: c, image: c:1}]\n", workloads: 1},
		{name: "separator followed by content", in: pod + "--- !!map\n" + pod, want: "invalid document separator", line: 6, workloads: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			f := Load("h.yaml", []byte(tt.in), tt.opts)
			// A hang guard, not a benchmark: every case takes milliseconds.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			var rej []model.Problem
			for _, p := range f.Problems {
				if p.Kind == model.Rejected {
					rej = append(rej, p)
				}
			}
			switch {
			case tt.want == "" && len(rej) > 0:
				t.Errorf("unexpected problems: %v", rej)
			case tt.want != "" && len(rej) != 1:
				t.Errorf("got %d rejected problems %v, want one with %q", len(rej), rej, tt.want)
			case tt.want != "" && (!strings.Contains(rej[0].Err.Error(), tt.want) || rej[0].Location.Line != tt.line || rej[0].Location.File != "h.yaml"):
				t.Errorf("got %v at %v, want %q at h.yaml:%d", rej[0].Err, rej[0].Location, tt.want, tt.line)
			}
			if len(f.Workloads) != tt.workloads {
				t.Errorf("got %d workloads, want %d", len(f.Workloads), tt.workloads)
			}
		})
	}
}

// TestHostileNames checks that names with control characters are loaded
// verbatim: escaping them is the reporters' job.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	f := Load("n.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: \"a\\e[2K\\rb\\nc\"}\nspec:\n  containers: [{name: c, image: c:1}]\n"), Options{})
	if len(f.Workloads) != 1 || f.Workloads[0].Name != "a\x1b[2K\rb\nc" {
		t.Fatalf("got %+v", f.Workloads)
	}
}

// TestIndexNeverFollowsAliases walks the position index of the alias bomb:
// lookups stop at aliases and the whole-tree walk is bounded by the budget.
func TestIndexNeverFollowsAliases(t *testing.T) {
	t.Parallel()
	doc := document{data: []byte(billionLaughs()), line: 1}
	_, root := newIndex("b.yaml", doc)
	if got := root.get("data").get("x").loc().Line; got != 13 {
		t.Errorf("alias located at line %d, want 13", got)
	}
	if p := root.get("data").get("x").at(0); p.node != nil {
		t.Errorf("lookup went through an alias")
	}
	start := time.Now()
	if n, _ := firstDefinition("b.yaml", doc, 5, fmt.Errorf("already set in map")); n != 0 {
		t.Errorf("firstDefinition = %d, want 0", n)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("walk took %v", d)
	}
}

// TestDocumentCap checks that exactly MaxDocuments documents load, with
// separators before and after each, and that one more is refused.
func TestDocumentCap(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	for i := 0; i < DefaultMaxDocuments; i++ {
		b.WriteString("---\nkind: ConfigMap\napiVersion: v1\n---\n")
	}
	if f := Load("m.yaml", b.Bytes(), Options{}); len(f.Problems) != 0 {
		t.Errorf("%d documents: %v", DefaultMaxDocuments, f.Problems)
	}
	b.WriteString("kind: ConfigMap\napiVersion: v1\n")
	f := Load("m.yaml", b.Bytes(), Options{})
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), "more than 10000 documents") || f.Problems[0].Location.Line != 4*DefaultMaxDocuments+1 {
		t.Errorf("%d documents: got %v, want the cap at line %d", DefaultMaxDocuments+1, f.Problems, 4*DefaultMaxDocuments+1)
	}
}

// TestAliasLocatedWhereWritten checks that a value written as an alias is
// decoded (the strict decoder expands it, within its alias budget) and
// located at the alias, not at the anchor.
func TestAliasLocatedWhereWritten(t *testing.T) {
	t.Parallel()
	in := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: &l {a: b}}\nspec:\n  containers:\n  - name: c\n    env: [{name: first, value: &img \"c:1\"}]\n    image: *img\n"
	f := Load("a.yaml", []byte(in), Options{})
	if len(f.Problems) != 0 || len(f.Workloads) != 1 {
		t.Fatalf("got %v, %v", f.Problems, f.Workloads)
	}
	if img := f.Workloads[0].Containers[0].Image; img.Ref != "c:1" || img.Location.Line != 8 || img.Location.Column != 12 {
		t.Errorf("image %q at %v, want c:1 at line 8 column 12", img.Ref, img.Location)
	}
}
