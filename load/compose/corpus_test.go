package compose

import (
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// corpusRejected are the corpus files the loader must reject, each for a
// reason docker compose would also refuse it (run from the corpus folder,
// which holds no .env files).
var corpusRejected = []string{
	// A secrets-scanner fixture: its top-level key "original file can be
	// found in" is not a compose key.
	"bridgecrewio__checkov__tests__secrets__json_multiline__pomerium_compose.json",
	// Service mysql mounts volume "db", which the file never declares.
	"docker-library__docs__yourls__compose.yaml",
	// The media path comes from PLEX_MEDIA_PATH, which has no default:
	// without it the volume spec is not valid.
	"docker__awesome-compose__plex__compose.yaml",
	// The mounted file comes from ${FILE}, which has no default.
	"docker__compose__pkg__e2e__fixtures__logs-test__cat.yaml",
	// The OpenTelemetry demo takes its ports from the .env file of its
	// repository, which is not in the corpus; without it the ports are
	// not valid.
	"open-telemetry__opentelemetry-demo__compose.agent.yaml",
	// An override file for compose.yaml: service checkout has no image of
	// its own.
	"open-telemetry__opentelemetry-demo__compose.full.yaml",
	"open-telemetry__opentelemetry-demo__compose.observability.yaml",
	"open-telemetry__opentelemetry-demo__compose.profiling.yaml",
	// An override file: it depends on services declared in compose.yaml.
	"open-telemetry__opentelemetry-demo__compose.tests.yaml",
	"open-telemetry__opentelemetry-demo__compose.yaml",
}

// TestCorpus loads the 120 real compose files of the shared corpus: none
// may panic, exactly corpusRejected are rejected, and the rest yield what
// real compose files hold.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files := loadtest.Corpus{Dir: "compose", AtLeast: 120, Load: Load, Rejected: corpusRejected}.Run(t)
	var services, images, unresolved, hostPaths, healthchecks, commands int
	for _, f := range files {
		for _, w := range f.Workloads {
			services++
			if w.Location.Line == 0 {
				t.Errorf("%s: service %s without a line", f.Path, w.Name)
			}
			hostPaths += len(w.HostPaths)
			for _, c := range w.Containers {
				if c.Image.Ref != "" {
					images++
					if c.Image.Err != nil {
						unresolved++
					}
					if c.Image.Location.Line == 0 {
						t.Errorf("%s: image %q without a line", f.Path, c.Image.Ref)
					}
				}
				if len(c.Probes) > 0 {
					healthchecks++
				}
				commands += len(c.Commands)
			}
		}
	}
	t.Logf("services %d, images %d (unresolved %d), host paths %d, healthchecks %d, commands %d",
		services, images, unresolved, hostPaths, healthchecks, commands)
	switch {
	case services < 250:
		t.Errorf("found %d services, want at least 250", services)
	case images < 200:
		t.Errorf("found %d images, want at least 200", images)
	case unresolved > 5:
		t.Errorf("%d images unresolved, want at most 5", unresolved)
	case hostPaths < 50:
		t.Errorf("found %d host paths, want at least 50", hostPaths)
	}
}

// BenchmarkLoad loads every compose file of the corpus once per iteration.
func BenchmarkLoad(b *testing.B) {
	paths, data, size := loadtest.CorpusData(b, "compose")
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range data {
			Load(paths[i], d)
		}
	}
}
