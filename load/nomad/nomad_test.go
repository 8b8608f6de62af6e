package nomad

import (
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	loadtest.WantFixtures(t, Load, map[string][]string{
		"bad.nomad.hcl": {
			"privileged-instance:10",   // network mode host
			"ssh-access:12",            // static port 22, exposed through the first task
			"host-path-volume:16",      // host volume
			"no-automatic-rollback:21", // update without auto_revert
			"missing-health-probe:25", "writable-root-filesystem:25",
			"image-not-pinned:29",
			"privileged-instance:30",
			"privileged-instance:31", // SYS_ADMIN
			"host-path-volume:32",
			"runtime-package-install:33",
			"missing-health-probe:38", "writable-root-filesystem:38",
			"privileged-instance:39", // raw_exec
		},
		"good.nomad.hcl": nil,
		"bad.json": {
			"no-automatic-rollback:8",
			"missing-health-probe:10",
			"image-latest-tag:14", "image-not-pinned:14",
			"writable-root-filesystem:15",
			"privileged-instance:16",
		},
		"good.json": nil,
	})
}
