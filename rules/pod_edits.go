package rules

import (
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// podModifiedInPlace reports every edit of a running instance: a value of
// its spec that differs from the template of the revision it claims (the
// source says which differences are edits, see live/cluster).
func podModifiedInPlace(p *Pass) {
	for _, in := range p.File.Instances {
		for i := range in.Edits {
			e := &in.Edits[i]
			detail := ""
			if e.Container != "" {
				detail = e.Role + " " + e.Container
			}
			p.Instancef(in, detail, model.Location{}, "%s", editText(e))
		}
	}
}

// editText describes an edit, e.g. "container web runs image web:2, but
// ReplicaSet web-7d9c declares web:1".
func editText(e *model.Edit) string {
	switch label, isLabel := strings.CutPrefix(e.Field, "label "); {
	case e.Field == "image":
		s := e.Role + " " + e.Container + " runs image " + e.Running + ", but " + e.DeclaredBy + " declares " + e.Declared
		if e.Matches != "" {
			s += "; its images are those of " + e.Matches + ", not of the revision it claims"
		}
		return s
	case e.Field == "tolerations":
		return "tolerations " + e.Running + " were added to the pod; " + e.DeclaredBy + " does not declare them"
	case isLabel:
		return fmt.Sprintf("its %s label is %q, but its %s is revision %q", label, e.Running, e.DeclaredBy, e.Declared)
	}
	return e.Field + " is " + e.Running + ", but " + e.DeclaredBy + " declares " + e.Declared
}
