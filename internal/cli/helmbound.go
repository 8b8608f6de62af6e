package cli

import (
	"os"

	"github.com/immutcheck/immutcheck/load/helm"
)

// helmBound renders every chart in a child process of this binary, whose
// main (or TestMain) serves it with helm.ServeChild, within the default
// memory and time bounds. Without a path to this binary charts render in
// process, bounded in time only.
func helmBound() *helm.Bound {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return &helm.Bound{Exe: exe}
}
