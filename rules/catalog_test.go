package rules

import (
	"regexp"
	"strings"
	"testing"
)

var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// TestCatalog checks the invariants every rule must keep: a stable
// kebab-case ID used once, a known group, and complete documentation.
func TestCatalog(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	groups := map[Group]bool{}
	for _, g := range Groups {
		groups[g] = true
	}
	for _, r := range All() {
		if !kebab.MatchString(r.ID) {
			t.Errorf("rule %q: ID is not kebab-case", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("rule %q: ID used twice", r.ID)
		}
		seen[r.ID] = true
		if !groups[r.Group] {
			t.Errorf("rule %s: unknown group %q", r.ID, r.Group)
		}
		if r.Severity < Info || r.Severity > Critical {
			t.Errorf("rule %s: bad severity %d", r.ID, r.Severity)
		}
		if r.Title == "" || strings.HasSuffix(r.Title, ".") {
			t.Errorf("rule %s: title %q must be set and not end with a period", r.ID, r.Title)
		}
		for name, text := range map[string]string{"rationale": r.Rationale, "remediation": r.Remediation, "principle": r.Principle} {
			if len(text) < 20 || !strings.HasSuffix(text, ".") {
				t.Errorf("rule %s: %s must be a sentence ending with a period: %q", r.ID, name, text)
			}
		}
		if ByID(r.ID) != r {
			t.Errorf("rule %s: ByID does not return it", r.ID)
		}
	}
}

func TestNewEvaluatorRejectsUnknownRules(t *testing.T) {
	t.Parallel()
	if _, err := NewEvaluator(All(), Settings{Disabled: []string{"no-such-rule"}}); err == nil {
		t.Error("disabling an unknown rule was accepted")
	}
	if _, err := NewEvaluator(All(), Settings{Severity: map[string]Severity{"no-such-rule": Low}}); err == nil {
		t.Error("overriding an unknown rule was accepted")
	}
	if _, err := NewEvaluator(All(), Settings{Disabled: []string{LoadError.ID}}); err == nil {
		t.Error("disabling load-error was accepted")
	}
}

func TestParseSeverity(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"critical", "HIGH", " medium", "low", "info", "none"} {
		if _, err := ParseSeverity(s); err != nil {
			t.Errorf("ParseSeverity(%q): %v", s, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity accepted an unknown name")
	}
	if None <= Critical {
		t.Error("none must be above every severity")
	}
}
