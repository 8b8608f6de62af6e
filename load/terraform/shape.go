package terraform

import (
	"errors"
	"fmt"
	"slices"

	tfjson "github.com/hashicorp/terraform-json"
)

// entryError is a resource change that Terraform could not have written,
// at the line where it starts.
type entryError struct {
	line int
	err  error
}

// Error is the cause alone: the problem's location gives the line.
func (e *entryError) Error() string { return e.err.Error() }
func (e *entryError) Unwrap() error { return e.err }

// actionLists are the action lists terraform show -json writes: one
// action, a replacement in either order, or a resource created and then
// forgotten.
var actionLists = [][]tfjson.Action{
	{tfjson.ActionNoop}, {tfjson.ActionCreate}, {tfjson.ActionRead}, {tfjson.ActionUpdate},
	{tfjson.ActionDelete}, {tfjson.ActionForget},
	{tfjson.ActionDelete, tfjson.ActionCreate}, {tfjson.ActionCreate, tfjson.ActionDelete},
	{tfjson.ActionCreate, tfjson.ActionForget},
}

// checkChange refuses a resource change that Terraform does not emit: one
// without an address, type, name or mode, without a change, or whose
// actions are not a list Terraform writes. Anything else would be read as
// a change with nothing to report.
func checkChange(rc *tfjson.ResourceChange) error {
	switch {
	case rc.Address == "":
		return errors.New(`resource change without "address"`)
	case rc.Type == "":
		return fmt.Errorf(`resource change %s without "type"`, rc.Address)
	case rc.Name == "":
		return fmt.Errorf(`resource change %s without "name"`, rc.Address)
	case rc.Mode != tfjson.ManagedResourceMode && rc.Mode != tfjson.DataResourceMode:
		return fmt.Errorf(`resource change %s: "mode" %q is neither managed nor data`, rc.Address, rc.Mode)
	case rc.Change == nil:
		return fmt.Errorf(`resource change %s without "change"`, rc.Address)
	}
	acts := []tfjson.Action(rc.Change.Actions)
	for _, want := range actionLists {
		if slices.Equal(acts, want) {
			return nil
		}
	}
	return fmt.Errorf(`resource change %s: "actions" %q is not an action list Terraform writes`, rc.Address, acts)
}
