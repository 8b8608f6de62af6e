package drift

import (
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Judge runs the catalog over a host's classified changes, processes and
// problems, as `immutcheck drift` does, so that tests can check the
// findings the facts lead to.
func Judge(changes []model.Change, procs []model.Process, problems []model.Problem) []rules.Finding {
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		panic(err)
	}
	host := &model.Instance{Kind: "Host", Subject: "host /", Changes: changes, Processes: procs}
	return ev.Evaluate(&model.File{Path: "/", Instances: []*model.Instance{host}, Problems: problems})
}

// classifyFindings classifies a comparison and judges it.
func classifyFindings(base, live *Snapshot, cmp *Comparison) []rules.Finding {
	chs, probs := Classify(base, live, cmp)
	return Judge(chs, nil, probs)
}
