package kube

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// TestSkipMatchesFullPath checks that the shortcut for documents without
// workloads changes nothing: every fixture, corpus file and hostile seed
// loads the same with and without it, and the shortcut is taken.
func TestSkipMatchesFullPath(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/*.yaml")
	json, _ := filepath.Glob("testdata/*.json")
	paths = append(append(paths, json...), corpusFiles(t)...)
	inputs := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[p] = data
	}
	for i, s := range []string{
		"apiVersion: v1\nkind: Service\nmetadata: ~\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: ~, generateName: 'g-'}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: 3}\n",
		"apiVersion: v1\nkind: Service\nmetadata: []\n",
		"apiVersion: v1\nkind: Service\nmetadata: x\n",
		"apiVersion: v1\nkind: yes\n",
		"apiVersion: 1\nkind: Service\n",
		"apiVersion: v1\nkind: ''\n",
		"apiVersion: v1\nkind: ServiceList\n",
		"apiVersion: v1\nkind: Service\nspec: {y: 1, on: 2}\n",
		"apiVersion: v1\nkind: Service\nspec: {a: 1, a: 2}\n",
		"apiVersion: v1\nkind: Service\nKind: Pod\n",
		"\"apiVersion\": v1\n'kind': Service\nmetadata: {\"name\": n}\n",
	} {
		inputs[string(rune('a'+i))] = []byte(s)
	}
	var skipped int
	for p, data := range inputs {
		short := Load(p, data, Options{})
		full := &model.File{Path: p, Format: "kubernetes"}
		decode(full, p, data, Options{}, true)
		if diff := cmp.Diff(string(render(t, full)), string(render(t, short))); diff != "" {
			t.Errorf("%s: the shortcut changes the result (-full +short):\n%s", p, diff)
		}
	}
	for _, data := range inputs {
		_ = split(data, DefaultMaxObjectBytes, DefaultMaxDocuments, func(d document) {
			var n yaml.Node
			if safeUnmarshal(d.data, &n) == nil && declaresNoWorkload(d.data, &n) {
				skipped++
			}
		})
	}
	t.Logf("shortcut taken for %d documents", skipped)
	if skipped < 300 {
		t.Errorf("shortcut taken for only %d documents", skipped)
	}
}
