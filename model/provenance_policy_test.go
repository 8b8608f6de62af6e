package model

import (
	"strings"
	"testing"
)

func TestProvenancePolicyCheck(t *testing.T) {
	t.Parallel()
	p := &Provenance{BuilderID: "https://b/1", Repository: "https://github.com/acme/shop", Commit: "abc", Ref: "refs/heads/main"}
	pass := ProvenancePolicy{BuilderID: "https://b/1", SourceRepository: "git+https://GitHub.com/acme/shop.git", Commit: "ABC", Ref: "refs/heads/main"}
	if ms := pass.Check(p); len(ms) != 0 {
		t.Errorf("matching policy reported %v", ms)
	}
	fail := ProvenancePolicy{BuilderID: "https://b/2", SourceRepository: "https://github.com/acme/other", Commit: "def"}
	ms := fail.Check(p)
	if len(ms) != 3 {
		t.Fatalf("mismatches = %v, want 3", ms)
	}
	if s := ms[0].String(); !strings.Contains(s, `expected "https://b/2"`) || !strings.Contains(s, `found "https://b/1"`) {
		t.Errorf("message %q does not show expected and found", s)
	}
	if ms := (ProvenancePolicy{Commit: "abc"}).Check(&Provenance{}); len(ms) != 1 || !strings.Contains(ms[0].String(), "(none)") {
		t.Errorf("missing commit: %v", ms)
	}
}
