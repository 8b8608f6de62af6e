package rules

import (
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// maxNamesListed bounds the names a message lists per value.
const maxNamesListed = 5

// plural is "1 pod", "3 pods".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// nameList joins names, listing at most maxNamesListed of them.
func nameList(names []string) string {
	if len(names) <= maxNamesListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxNamesListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNamesListed)
}

// instanceName is the short name of an instance in a list: its object's
// name, else its node's, else its subject.
func instanceName(in *model.Instance) string {
	switch {
	case in.Object != nil:
		return in.Object.Name
	case in.Node != "":
		return in.Node
	}
	return in.Subject
}
