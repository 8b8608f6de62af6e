package pulumi

import (
	"errors"
	"fmt"
	"strings"
)

// ops are the step operations the Pulumi engine writes (apitype.OpType).
var ops = map[string]bool{
	"same": true, "create": true, "update": true, "delete": true, "replace": true,
	"create-replacement": true, "delete-replaced": true, "read": true, "read-replacement": true,
	"refresh": true, "discard": true, "discard-replaced": true, "remove-pending-replace": true,
	"import": true, "import-replacement": true,
}

// checkSteps refuses a step the engine does not write: without an op or a
// URN, or with an op it does not know. Anything else would be read as a
// change with nothing to report.
func checkSteps(steps []step) error {
	for i, s := range steps {
		var err error
		switch {
		case s.Op == "":
			err = errors.New(`step without "op"`)
		case !ops[s.Op]:
			err = fmt.Errorf(`step "op" %q is not an operation Pulumi writes`, s.Op)
		case !strings.HasPrefix(s.URN, "urn:pulumi:"):
			err = fmt.Errorf(`step %q: "urn" %q is not a Pulumi URN`, s.Op, s.URN)
		}
		if err != nil {
			return &lineError{s.line, fmt.Errorf("parse pulumi step %d: %w", i, err)}
		}
	}
	return nil
}
