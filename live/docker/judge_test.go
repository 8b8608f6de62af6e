package docker

import (
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// judge runs the catalog over a checked container, as `immutcheck docker`
// does, so that tests see the findings its facts lead to.
func judge(res *Result) []rules.Finding {
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		panic(err)
	}
	f := &model.File{Path: "docker", Problems: res.Problems}
	if res.Instance != nil {
		f.Instances = []*model.Instance{res.Instance}
	}
	return ev.Evaluate(f)
}
