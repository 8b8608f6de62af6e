package rules_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// iacRules are the rules with infrastructure-as-code examples under
// examples/{bad,good}/{terraform,terraform-plan,cloudformation}: each must
// fire in bad/ and never in good/.
var iacRules = []string{
	"inplace-update-planned", "imperative-provisioner", "config-management-agent",
	"ignore-changes-hides-drift", "mutable-launch-template", "destroy-before-create",
	"no-automatic-rollback", "ssh-access",
}

// TestIaCFixtures loads every fixture and compares the unsuppressed
// findings, as "line: rule", with the expectations: "# want: a, b"
// comments in HCL and YAML, a <file>.want list next to JSON files.
func TestIaCFixtures(t *testing.T) {
	t.Parallel()
	fired := map[string]bool{}
	for _, dir := range []string{"bad", "good"} {
		var roots []string
		for _, format := range []string{"terraform", "terraform-plan", "cloudformation"} {
			roots = append(roots, filepath.Join("..", "examples", dir, format))
		}
		err := load.Walk(context.Background(), roots, load.Options{}, func(in load.Input) error {
			t.Run(filepath.ToSlash(in.Path), func(t *testing.T) {
				f := load.Load(context.Background(), in, load.Options{Limits: load.DefaultLimits()})
				if f == nil {
					t.Fatal("not loaded")
				}
				got := evaluate(t, f)
				var want []string
				if dir == "bad" {
					want = wants(t, in.Path)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("findings (-want +got):\n%s", diff)
				}
				if dir == "bad" {
					for _, g := range got {
						fired[g[strings.Index(g, " ")+1:]] = true
					}
				}
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range iacRules {
		if !fired[id] {
			t.Errorf("rule %s fires in no bad fixture", id)
		}
	}
}

func evaluate(t *testing.T, f *model.File) []string {
	t.Helper()
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fd := range ev.Evaluate(f) {
		if fd.Suppressed {
			continue
		}
		t.Logf("%s %s [%s] %s: %s", fd.Location, fd.Rule.ID, fd.Severity, fd.Subject, fd.Message)
		out = append(out, fmt.Sprintf("%d: %s", fd.Location.Line, fd.Rule.ID))
	}
	return uniqueSorted(out)
}

var wantComment = regexp.MustCompile(`#\s*want:\s*(.+)$`)

// wants reads the expected findings of a fixture.
func wants(t *testing.T, path string) []string {
	t.Helper()
	var out []string
	if strings.HasSuffix(path, ".json") {
		data, err := os.ReadFile(path + ".want")
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			out = append(out, strings.TrimSpace(l))
		}
		return uniqueSorted(out)
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for n := 1; sc.Scan(); n++ {
		if m := wantComment.FindStringSubmatch(sc.Text()); m != nil {
			for _, id := range strings.Split(m[1], ",") {
				out = append(out, strconv.Itoa(n)+": "+strings.TrimSpace(id))
			}
		}
	}
	return uniqueSorted(out)
}

func uniqueSorted(in []string) []string {
	sort.Strings(in)
	var out []string
	for i, s := range in {
		if i == 0 || s != in[i-1] {
			out = append(out, s)
		}
	}
	return out
}
