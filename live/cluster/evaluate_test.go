package cluster

import (
	"context"
	"io"
	"time"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// evaluator is the catalog as the cluster command runs it, with maxAge for
// instance-too-old.
func evaluator(maxAge time.Duration) *rules.Evaluator {
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{Options: rules.Options{MaxAge: maxAge}})
	if err != nil {
		panic(err)
	}
	return ev
}

// liveFindings reads s into instances and problems and judges them with
// the catalog: the findings of the live rules (the live templates, which
// the static rules judge, are left out).
func liveFindings(s *Snapshot, o Options, maxAge time.Duration) []rules.Finding {
	is, ps := Instances(s, o)
	return evaluator(maxAge).Evaluate(&model.File{Path: "cluster", Instances: is, Problems: ps})
}

// readAuditFindings reads an audit log and judges the sessions it holds
// with the catalog. It returns a non-nil slice with an error when
// ReadAuditLog returned instances with its error.
func readAuditFindings(ctx context.Context, path string, r io.Reader, opts AuditOptions) ([]rules.Finding, error) {
	is, err := ReadAuditLog(ctx, path, r, opts)
	if err != nil {
		if is != nil {
			return []rules.Finding{}, err
		}
		return nil, err
	}
	return evaluator(0).Evaluate(&model.File{Path: path, Instances: is}), nil
}
