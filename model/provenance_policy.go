package model

import (
	"fmt"
	"strings"
)

// ProvenancePolicy is what the provenance of an image must say. Empty
// fields are not compared.
type ProvenancePolicy struct {
	// BuilderID is the exact builder.id expected.
	BuilderID string `json:"builder-id,omitempty"`
	// SourceRepository is the repository URI expected, e.g.
	// "https://github.com/acme/shop"; "git+" and ".git" do not matter.
	SourceRepository string `json:"source-repository,omitempty"`
	// Commit is the expected source commit (full SHA).
	Commit string `json:"commit,omitempty"`
	// Ref is the expected source ref, e.g. "refs/heads/main".
	Ref string `json:"ref,omitempty"`
}

// Empty reports whether nothing is expected.
func (p ProvenancePolicy) Empty() bool { return p == ProvenancePolicy{} }

// Mismatch is one field of the provenance that differs from the policy.
type Mismatch struct {
	Field, Want, Got string
}

// String renders "builder: expected X, found Y".
func (m Mismatch) String() string {
	got := m.Got
	if got == "" {
		got = "(none)"
	}
	return fmt.Sprintf("%s: expected %q, found %q", m.Field, m.Want, got)
}

// Check compares p with the policy and returns every mismatch.
func (pp ProvenancePolicy) Check(p *Provenance) []Mismatch {
	var out []Mismatch
	cmp := func(field, want, got string, eq func(a, b string) bool) {
		if want != "" && !eq(want, got) {
			out = append(out, Mismatch{field, want, got})
		}
	}
	exact := func(a, b string) bool { return a == b }
	cmp("builder", pp.BuilderID, p.BuilderID, exact)
	cmp("source repository", pp.SourceRepository, p.Repository, func(a, b string) bool { return NormalizeRepository(a) == b })
	cmp("commit", pp.Commit, p.Commit, func(a, b string) bool { return strings.EqualFold(a, b) })
	cmp("ref", pp.Ref, p.Ref, exact)
	return out
}

// NormalizeRepository makes equivalent spellings of a repository URI compare
// equal: scheme and host are lowercased, "git+" and ".git" and a trailing
// slash are dropped.
func NormalizeRepository(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "git+"), "/"), ".git")
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		host, path, _ := strings.Cut(rest, "/")
		s = strings.ToLower(scheme) + "://" + strings.ToLower(host)
		if path != "" {
			s += "/" + path
		}
	}
	return s
}
