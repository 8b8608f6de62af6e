package rules

import (
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

const testDigest = "sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730"

func loc(line int) model.Location { return model.Location{File: "f.yaml", Line: line} }

// goodContainer is a container that breaks no rule.
func goodContainer() model.Container {
	return model.Container{
		Name: "app", Role: "container", Location: loc(10),
		Image:        model.NewArtifact("ghcr.io/acme/app:1.0@"+testDigest, loc(11)),
		ReadOnlyRoot: &model.BoolSetting{Value: true, Location: loc(12)},
		Probes:       []string{"readiness"},
	}
}

func goodWorkload() *model.Workload {
	return &model.Workload{Source: "kubernetes", Kind: "Deployment", Name: "app", Location: loc(1), Controlled: true, Containers: []model.Container{goodContainer()}}
}

func goodBuild() *model.Build {
	return &model.Build{Source: "dockerfile", Name: "Dockerfile", Location: loc(1),
		Bases: []model.Artifact{model.NewArtifact("ghcr.io/acme/base:1@"+testDigest, loc(1))},
		Start: []model.Command{{Args: []string{"/app"}, Context: "ENTRYPOINT", Location: loc(5)}},
	}
}

// ruleCases holds, for every rule with a Check, a file that must trigger it
// (bad) at the given line and changes that make the good baseline bad.
var ruleCases = map[*Rule]struct {
	bad      func(w *model.Workload, b *model.Build)
	wantLine int
}{
	ImageNotPinned: {func(w *model.Workload, _ *model.Build) {
		w.Containers[0].Image = model.NewArtifact("ghcr.io/acme/app:1.0", loc(11))
	}, 11},
	ImageLatestTag: {func(_ *model.Workload, b *model.Build) { b.Bases[0] = model.NewArtifact("ghcr.io/acme/base", loc(2)) }, 2},
	RegistryNotAllowed: {func(w *model.Workload, _ *model.Build) {
		w.Containers[0].Image = model.NewArtifact("ghcr.io/acmeevil/app@"+testDigest, loc(11))
	}, 11},
	BaseImageNotPinned: {func(_ *model.Workload, b *model.Build) { b.Bases[0] = model.NewArtifact("ghcr.io/acme/base:1", loc(3)) }, 3},
	AddURLWithoutChecksum: {func(_ *model.Workload, b *model.Build) {
		b.Fetches = []model.Fetch{{URL: "https://x/y.tgz", Location: loc(4)}}
	}, 4},
	WritableRootFilesystem: {func(w *model.Workload, _ *model.Build) { w.Containers[0].ReadOnlyRoot = nil }, 10},
	HostPathVolume: {func(w *model.Workload, _ *model.Build) {
		w.HostPaths = []model.HostPath{{Name: "d", Path: "/data", Location: loc(20)}}
	}, 20},
	UnmanagedInstance:  {func(w *model.Workload, _ *model.Build) { w.Kind, w.Controlled = "Pod", false }, 1},
	MissingHealthProbe: {func(w *model.Workload, _ *model.Build) { w.Containers[0].Probes = nil }, 10},
	NoReplacementStrategy: {func(w *model.Workload, _ *model.Build) {
		w.UpdateStrategy = model.Setting{Value: "OnDelete", Location: loc(7)}
	}, 7},
	RuntimePackageInstall: {func(w *model.Workload, _ *model.Build) {
		w.Containers[0].Commands = []model.Command{{Args: []string{"/bin/sh", "-c", "apk add --no-cache curl && exec app"}, Location: loc(13)}}
	}, 13},
	NoRevisionHistory: {func(w *model.Workload, _ *model.Build) {
		w.RevisionHistoryLimit = &model.IntSetting{Value: 0, Location: loc(6)}
	}, 6},
	SSHAccess: {func(_ *model.Workload, b *model.Build) { b.Ports = []model.Port{{Number: 22, Location: loc(8)}} }, 8},
	PrivilegedInstance: {func(w *model.Workload, _ *model.Build) {
		w.Containers[0].AddedCapabilities = []model.Setting{{Value: "CAP_SYS_ADMIN", Location: loc(14)}}
	}, 14},
}

func evaluate(t *testing.T, w *model.Workload, b *model.Build) []Finding {
	t.Helper()
	ev, err := NewEvaluator(All(), Settings{Options: Options{AllowedRegistries: []string{"ghcr.io/acme"}}})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Evaluate(&model.File{Path: "f.yaml", Workloads: []*model.Workload{w}, Builds: []*model.Build{b}})
}

func TestRulesGoodAndBad(t *testing.T) {
	t.Parallel()
	if fs := evaluate(t, goodWorkload(), goodBuild()); len(fs) != 0 {
		t.Fatalf("good baseline has findings: %+v", fs)
	}
	for _, r := range All() {
		if _, ok := modelCases()[r]; ok {
			continue // TestModelCases
		}
		c, ok := ruleCases[r]
		if _, onFile := fileCases[r]; !ok && onFile {
			continue // TestFileRulesGoodAndBad
		}
		if fc, isFileCase := fileRuleCases[r]; !ok && isFileCase {
			checkFileCase(t, r, fc.bad, fc.wantLine)
			continue
		}
		if !ok {
			t.Errorf("rule %s has no unit case", r.ID)
			continue
		}
		w, b := goodWorkload(), goodBuild()
		c.bad(w, b)
		var got []Finding
		for _, f := range evaluate(t, w, b) {
			if f.Rule == r {
				got = append(got, f)
			}
		}
		if len(got) == 0 {
			t.Errorf("rule %s did not fire on its bad case", r.ID)
			continue
		}
		if got[0].Location.Line != c.wantLine || got[0].Message == "" || got[0].Subject == "" {
			t.Errorf("rule %s: finding %+v, want line %d with subject and message", r.ID, got[0], c.wantLine)
		}
	}
}

func TestSuppression(t *testing.T) {
	t.Parallel()
	w, b := goodWorkload(), goodBuild()
	w.Containers[0].Image = model.NewArtifact("ghcr.io/acme/app:1.0", loc(11))
	w.Ignores = []model.Ignore{{Rules: []string{"image-not-pinned"}, Reason: "pinned by the release job", Location: loc(3)}}
	fs := evaluate(t, w, b)
	if len(fs) != 1 || !fs[0].Suppressed || fs[0].Justification != "pinned by the release job" {
		t.Fatalf("want one suppressed finding, got %+v", fs)
	}

	// Without a reason the suppression is reported and not applied.
	w.Ignores[0].Reason = ""
	fs = evaluate(t, w, b)
	var invalid, unsuppressed int
	for _, f := range fs {
		if f.Rule == InvalidSuppression {
			invalid++
		}
		if f.Rule == ImageNotPinned && !f.Suppressed {
			unsuppressed++
		}
	}
	if invalid != 1 || unsuppressed != 1 {
		t.Fatalf("reasonless suppression: got %+v", fs)
	}

	// A line suppression covers only its line.
	w.Ignores = []model.Ignore{{Rules: []string{"image-not-pinned"}, Reason: "r", Line: 12, Location: loc(11)}}
	if fs := evaluate(t, w, b); len(fs) != 1 || fs[0].Suppressed {
		t.Fatalf("line suppression on another line applied: %+v", fs)
	}
}

func TestProblemsBecomeFindings(t *testing.T) {
	t.Parallel()
	ev, err := NewEvaluator(All(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	fs := ev.Evaluate(&model.File{Path: "x.yaml", Problems: []model.Problem{
		{Kind: model.Rejected, Location: loc(3)},
		{Kind: model.UnknownField, Location: loc(4), Object: "Deployment/a"},
	}})
	if len(fs) != 2 || fs[0].Rule != LoadError || fs[1].Rule != UnknownFieldRule || fs[1].Subject != "Deployment/a" {
		t.Fatalf("got %+v", fs)
	}
}
