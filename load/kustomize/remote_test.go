package kustomize

import (
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

func TestIsRemote(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want bool
	}{
		{"deploy.yaml", false},
		{"../base", false},
		{"overlays/prod", false},
		{"github.com/org/repo//path?ref=v1", true},
		{"GitHub.com:org/repo", true},
		{"git::https://example.com/org/repo.git", true},
		{"GIT::ssh://git@example.com/org/repo", true},
		{"https://example.com/x.yaml", true},
		{"http:x.yaml", true},
		{"ssh://git@example.com/repo", true},
		{"file:///srv/git/repo", true},
		{"git@gitlab.example:team/repo.git", true},
		{"  https://example.com/x.yaml  ", true},
		{"apiVersion: v1\nkind: ConfigMap\ndata: {u: https://x}", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsRemote(tt.s); got != tt.want {
			t.Errorf("IsRemote(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestRefs(t *testing.T) {
	t.Parallel()
	const k = `resources:
  - a.yaml
  - https://example.com/b.yaml
configMapGenerator:
  - name: c
    files:
      - key=https://example.com/c
    literals:
      - url=https://example.com/literal
patches:
  - path: ssh://git@example.com/p.yaml
transformers:
  - |
    apiVersion: builtin
    kind: PatchTransformer
    metadata:
      name: t
    path: https://example.com/t.yaml
helmCharts:
  - name: x
`
	root, err := yaml.Parse(k)
	if err != nil {
		t.Fatal(err)
	}
	rs, helm := refs(root)
	var remote []string
	for _, r := range rs {
		if r.Remote {
			remote = append(remote, r.Value)
		}
	}
	want := "https://example.com/b.yaml https://example.com/c ssh://git@example.com/p.yaml https://example.com/t.yaml"
	if got := strings.Join(remote, " "); got != want {
		t.Errorf("remote = %q, want %q", got, want)
	}
	if len(helm) != 1 || helm[0].Line != 19 {
		t.Errorf("helm = %+v", helm)
	}
}

func TestWithOrigins(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"resources:\n- a.yaml\n", "resources:\n- a.yaml\nbuildMetadata:\n- originAnnotations\n"},
		{"buildMetadata: [managedByLabel]\n", "buildMetadata: [managedByLabel, originAnnotations]\n"},
		{"buildMetadata:\n- originAnnotations\n", "buildMetadata:\n- originAnnotations\n"},
		{"resources: [a\n", "resources: [a\n"},
	}
	for _, tt := range tests {
		got, err := withOrigins([]byte(tt.in))
		if err != nil || string(got) != tt.want {
			t.Errorf("withOrigins(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestSplitDocs(t *testing.T) {
	t.Parallel()
	const s = "# head\nkind: A\nmetadata:\n  name: a\n  labels:\n    name: no\n---\n\n---\napiVersion: v1\nkind: B\nspec:\n  name: not-meta\nmetadata:\n  name: \"b\"\n"
	got := splitDocs([]byte(s))
	want := []doc{{Start: 1, Kind: "A", Name: "a"}, {Start: 10, Kind: "B", Name: "b"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("splitDocs = %+v, want %+v", got, want)
	}
}

// FuzzPrecheckRefs feeds arbitrary kustomizations to the remote-resource
// detector: it must not panic, and whatever it calls remote must stay
// remote with go-getter's git:: prefix.
func FuzzPrecheckRefs(f *testing.F) {
	for _, s := range []string{
		"resources:\n- github.com/a/b\n- ../base\n",
		"resources: [https://x/y.yaml, git@h:o/r]\n",
		"configMapGenerator:\n- files: [k=https://x]\n",
		"helmCharts: [{name: x}]\n",
		"a: &a [*a]\n",
		strings.Repeat("- ", 200) + "x\n",
		strings.Repeat("[", 100),
		"resources:\n- \"\\x00://\"\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		root, err := yaml.Parse(s)
		if err != nil {
			return
		}
		rs, _ := refs(root)
		for _, r := range rs {
			if r.Remote && !IsRemote("git::"+strings.TrimSpace(r.Value)) {
				t.Errorf("%q remote but git::%q not", r.Value, r.Value)
			}
		}
	})
}
