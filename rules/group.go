package rules

// Group is one of the six questions of an immutable infrastructure check,
// or Input for what could not be checked.
type Group string

// The groups, in report order.
const (
	Artifact    Group = "artifact"
	Disposable  Group = "disposable"
	Drift       Group = "drift"
	Declarative Group = "declarative"
	Rollback    Group = "rollback"
	Baseline    Group = "baseline"
	Input       Group = "input"
)

// Groups lists the groups in report order.
var Groups = []Group{Artifact, Disposable, Drift, Declarative, Rollback, Baseline, Input}

// Question returns the question a group answers, for reports and docs.
func (g Group) Question() string {
	switch g {
	case Artifact:
		return "Is what gets deployed a versioned, immutable, verified artifact?"
	case Disposable:
		return "Can any instance be thrown away and replaced?"
	case Drift:
		return "Does each running instance still equal its image?"
	case Declarative:
		return "Is every change a declared replacement, never an imperative edit?"
	case Rollback:
		return "Can we go back to the previous version quickly?"
	case Baseline:
		return "Does every instance start from a hardened, traceable baseline?"
	case Input:
		return "Could every input be read and checked?"
	}
	return ""
}
