package rules

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// modelCase is a unit case of a rule over a whole model.File: bad must make
// the rule report, with want in a message; good, the same model without
// what breaks the rule, must not.
type modelCase struct {
	bad, good func() *model.File
	want      string
}

// caseMaxAge is the maximum age of instances in the model cases.
const caseMaxAge = time.Hour

// modelCases are the cases of every rule that is not judged on the workload
// and build baseline of ruleCases or fileRuleCases: the rules that read
// instances and image checks, and those the evaluator reports from
// problems. Each area keeps its table in its own file.
func modelCases() map[*Rule]modelCase {
	out := map[*Rule]modelCase{}
	for _, m := range []map[*Rule]modelCase{inputCases, sharedCases, clusterCases, hostCases, imageCases} {
		for r, c := range m {
			out[r] = c
		}
	}
	return out
}

// inputCases are the rules the evaluator reports from a file's problems
// and suppressions.
var inputCases = map[*Rule]modelCase{
	LoadError:        problemCase(model.Rejected, "unexpected end of stream"),
	UnknownFieldRule: problemCase(model.UnknownField, `unknown field "readOnlyRootFilsystem"`),
	ClusterUnchecked: problemCase(model.ClusterUnread, "pods is forbidden"),
	DriftUnchecked:   problemCase(model.TreeUnread, "permission denied"),
	ImageCheckFailed: problemCase(model.ImageUnread, "connection refused"),
	InvalidSuppression: {
		bad: func() *model.File {
			w := goodWorkload()
			w.Ignores = []model.Ignore{{Rules: []string{"image-not-pined"}, Reason: "typo", Location: loc(2)}}
			return &model.File{Path: "f.yaml", Workloads: []*model.Workload{w}}
		},
		good: func() *model.File {
			w := goodWorkload()
			w.Ignores = []model.Ignore{{Rules: []string{"image-not-pinned"}, Reason: "pinned at release", Location: loc(2)}}
			return &model.File{Path: "f.yaml", Workloads: []*model.Workload{w}}
		},
		want: `unknown rule "image-not-pined"`,
	},
}

// problemCase is the case of the rule that reports problems of kind k.
func problemCase(k model.ProblemKind, msg string) modelCase {
	return modelCase{
		bad: func() *model.File {
			return &model.File{Path: "f.yaml", Problems: []model.Problem{{Kind: k, Location: loc(3), Err: errors.New(msg)}}}
		},
		good: func() *model.File { return &model.File{Path: "f.yaml", Workloads: []*model.Workload{goodWorkload()}} },
		want: msg,
	}
}

// TestModelCases runs every model case through the evaluator.
func TestModelCases(t *testing.T) {
	t.Parallel()
	for r, c := range modelCases() {
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			ev, err := NewEvaluator(All(), Settings{Options: Options{AllowedRegistries: []string{"ghcr.io/acme"}, Registry: testRegistryOptions, MaxAge: caseMaxAge}})
			if err != nil {
				t.Fatal(err)
			}
			var got []Finding
			for _, f := range ev.Evaluate(c.bad()) {
				if f.Rule == r {
					got = append(got, f)
				}
			}
			if len(got) == 0 {
				t.Fatalf("did not fire on its bad case")
			}
			found := false
			for _, f := range got {
				if f.Subject == "" || f.Location.File == "" || f.Message == "" {
					t.Errorf("finding without subject, location or message: %+v", f)
				}
				found = found || strings.Contains(f.Message, c.want)
			}
			if !found {
				t.Errorf("no message contains %q: %+v", c.want, got)
			}
			for _, f := range ev.Evaluate(c.good()) {
				if f.Rule == r {
					t.Errorf("fired on its good case: %+v", f)
				}
			}
		})
	}
}

// TestEveryRuleIsExercised is the catalog's meta-test: every rule decides
// through a Check (or is reported by the evaluator from problems and
// suppressions), and every rule has a positive and a negative unit case
// that runs through the evaluator.
func TestEveryRuleIsExercised(t *testing.T) {
	t.Parallel()
	evaluatorReported := map[*Rule]bool{InvalidSuppression: true}
	for _, r := range problemRules {
		evaluatorReported[r] = true
	}
	mc := modelCases()
	for _, r := range All() {
		if r.Check == nil && !evaluatorReported[r] {
			t.Errorf("rule %s has no Check: every rule decides in the catalog", r.ID)
		}
		if r.Reads == 0 {
			t.Errorf("rule %s reads no part of the model", r.ID)
		}
		_, static := ruleCases[r]
		_, file := fileRuleCases[r]
		_, fileCase := fileCases[r]
		_, model := mc[r]
		if !static && !file && !fileCase && !model {
			t.Errorf("rule %s has no unit case", r.ID)
		}
	}
}
