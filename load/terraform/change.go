package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
)

// settingAttrs are the top-level attributes copied into
// PlannedChange.Settings when they are non-sensitive scalars.
var settingAttrs = []string{"upgrade_mode", "user_data_replace_on_change"}

// changes decodes the resource_changes array one entry at a time.
func changes(f *model.File, path string, data []byte, start, end int, lines *lineCounter) error {
	dec := json.NewDecoder(bytes.NewReader(data[start:end]))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // "resource_changes": null
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return errNotArray
	}
	for n := 0; dec.More(); n++ {
		loc := model.Location{File: path, Line: lines.at(skipSpace(data, start+int(dec.InputOffset())))}
		var rc tfjson.ResourceChange
		if err := dec.Decode(&rc); err != nil {
			return err
		}
		if err := checkChange(&rc); err != nil {
			return &entryError{line: loc.Line, err: fmt.Errorf("entry %d: %w", n, err)}
		}
		addChange(f, &rc, loc)
	}
	_, err = dec.Token() // ']'
	return err
}

type planError string

func (e planError) Error() string { return string(e) }

const errNotArray = planError("not an array")

// addChange turns one resource change into a PlannedChange and, when the
// resource exists after the plan, a Resource read from its planned values
// with sensitive parts removed.
func addChange(f *model.File, rc *tfjson.ResourceChange, loc model.Location) {
	if rc.Change == nil || rc.Mode == tfjson.DataResourceMode {
		return
	}
	ch := rc.Change
	pc := &model.PlannedChange{
		Source:       "terraform",
		Address:      rc.Address,
		Type:         rc.Type,
		Provider:     rc.ProviderName,
		ActionReason: string(rc.ActionReason),
		Location:     loc,
	}
	for _, a := range ch.Actions {
		pc.Actions = append(pc.Actions, string(a))
	}
	pc.ReplaceReasons = replacePaths(ch.ReplacePaths)
	if pc.IsUpdate() || ch.Actions.Replace() {
		diff(pc, ch.Before, ch.After, ch.BeforeSensitive, ch.AfterSensitive, ch.AfterUnknown)
	}
	after, _ := tfres.FromJSON(ch.After, ch.AfterSensitive, loc).(*tfres.Obj)
	if after != nil {
		for _, k := range settingAttrs {
			if s, ok := after.Str(k); ok {
				if pc.Settings == nil {
					pc.Settings = map[string]string{}
				}
				pc.Settings[k] = s
			}
		}
		f.Resources = append(f.Resources, tfres.Resource(Format, rc.Type, rc.Address, after))
		ecsTaskDefinition(f, rc.Type, rc.Address, after, loc)
	}
	f.Changes = append(f.Changes, pc)
}
