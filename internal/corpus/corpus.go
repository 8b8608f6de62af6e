package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus folder sub (e.g. "ecs"), or the whole corpus when
// sub is "". The corpus is $IMMUTCHECK_CORPUS, or shared/corpus in the
// nearest folder above the repository root (../shared/corpus for a
// checkout, further up for a worktree). When it is missing the test is
// skipped, unless the env var CI is set: then it fails.
func Dir(t testing.TB, sub string) string {
	t.Helper()
	root := os.Getenv("IMMUTCHECK_CORPUS")
	if root == "" {
		root = findCorpus()
	}
	dir := filepath.Join(root, sub)
	if info, err := os.Stat(dir); root == "" || err != nil || !info.IsDir() {
		name := "corpus folder " + sub
		if sub == "" {
			name = "corpus"
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (set IMMUTCHECK_CORPUS)", name)
		}
		t.Skipf("%s is missing; set IMMUTCHECK_CORPUS to run this test", name)
	}
	return dir
}

// Files returns the regular files of the corpus folder sub, sorted.
func Files(t testing.TB, sub string) []string {
	t.Helper()
	dir := Dir(t, sub)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		t.Fatalf("corpus folder %s is empty", sub)
	}
	return out
}

// repoRoot walks up from the working directory to the folder with go.mod.
func repoRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// findCorpus returns the first shared/corpus folder above the repository
// root, or "".
func findCorpus() string {
	repo, ok := repoRoot()
	if !ok {
		return ""
	}
	for dir := filepath.Dir(repo); ; dir = filepath.Dir(dir) {
		c := filepath.Join(dir, "shared", "corpus")
		if info, err := os.Stat(c); err == nil && info.IsDir() {
			return c
		}
		if filepath.Dir(dir) == dir {
			return ""
		}
	}
}
