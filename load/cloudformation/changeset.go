package cloudformation

import (
	"errors"

	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// changeSet reads the Changes of describe-change-set output. Property
// values (BeforeValue/AfterValue, shown with --include-property-values)
// are never read.
func changeSet(f *model.File, t *tree, root *yaml.Node) error {
	changes := get(root, "Changes")
	if changes.Kind != yaml.SequenceNode {
		return errors.New("read cloudformation change set: Changes is not a list")
	}
	for _, c := range changes.Content {
		rc := deref(get(c, "ResourceChange"))
		if err := checkChange(c, rc); err != nil {
			return err
		}
		pc := &model.PlannedChange{
			Source:      Format,
			Address:     scalar(get(rc, "LogicalResourceId")),
			Type:        scalar(get(rc, "ResourceType")),
			Replacement: scalar(get(rc, "Replacement")),
			Location:    t.loc(c),
		}
		pc.Actions = actions(scalar(get(rc, "Action")), pc.Replacement)
		if details := get(rc, "Details"); details != nil {
			for _, d := range details.Content {
				target := get(d, "Target")
				name := scalar(get(target, "Name"))
				if name == "" {
					name = scalar(get(target, "Attribute"))
				}
				if name == "" || contains(pc.Changed, name) {
					continue
				}
				pc.Changed = append(pc.Changed, name)
				if scalar(get(target, "RequiresRecreation")) == "Always" {
					pc.ReplaceReasons = append(pc.ReplaceReasons, name)
				}
			}
		}
		f.Changes = append(f.Changes, pc)
	}
	return nil
}

// checkChange refuses a change set entry CloudFormation does not write:
// without a ResourceChange mapping, a LogicalResourceId, an Action it
// knows, a Replacement it knows, or with Details that are not a list.
func checkChange(c, rc *yaml.Node) error {
	switch {
	case rc == nil || rc.Kind != yaml.MappingNode:
		return atNode(c, "change set entry without a ResourceChange mapping")
	case scalar(get(rc, "LogicalResourceId")) == "":
		return atNode(rc, "change set entry without LogicalResourceId")
	case actions(scalar(get(rc, "Action")), "") == nil:
		return atNode(rc, "change set entry: Action %q is not one CloudFormation writes", scalar(get(rc, "Action")))
	}
	switch r := get(rc, "Replacement"); {
	case r == nil:
	case r.Kind != yaml.ScalarNode || r.Value != "True" && r.Value != "False" && r.Value != "Conditional":
		return atNode(r, "change set entry: Replacement %q is not True, False or Conditional", r.Value)
	}
	if d := deref(get(rc, "Details")); d != nil && d.Kind != yaml.SequenceNode {
		return atNode(d, "change set entry: Details is not a list")
	}
	return nil
}

// actions maps a CloudFormation action to plan actions. CloudFormation
// creates a replacement before it deletes the old resource.
func actions(action, replacement string) []string {
	switch action {
	case "Add", "Import":
		return []string{model.ActionCreate}
	case "Remove":
		return []string{model.ActionDelete}
	case "Modify":
		if replacement == "True" {
			return []string{model.ActionCreate, model.ActionDelete}
		}
		return []string{model.ActionUpdate}
	case "Dynamic":
		return []string{model.ActionUpdate}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
