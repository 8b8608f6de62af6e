package pulumi

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/dupkeys"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format name of Pulumi inputs.
const Format = "pulumi"

// step is one engine step, from either format. Property values are not
// decoded: only their names.
type step struct {
	Op    string   `json:"op"`
	URN   string   `json:"urn"`
	Type  string   `json:"type"`
	Diffs []string `json:"diffs"`
	Keys  []string `json:"keys"`
	// Provider is the provider reference (a URN and ID).
	Provider string `json:"provider"`
	OldType  struct {
		Type string `json:"type"`
	} `json:"old"`
	NewType struct {
		Type string `json:"type"`
	} `json:"new"`
	// preview --json names
	DiffReasons  []string `json:"diffReasons"`
	DetailedDiff map[string]struct {
		Kind string `json:"kind"`
	} `json:"detailedDiff"`
	ReplaceReasons []string `json:"replaceReasons"`
	OldState       struct {
		Type string `json:"type"`
	} `json:"oldState"`
	NewState struct {
		Type string `json:"type"`
	} `json:"newState"`
	line int
}

// Load decodes a preview document or an event log read from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	var steps []step
	var err error
	if isEventLog(data) {
		steps, err = eventSteps(data)
	} else {
		steps, err = previewSteps(data)
	}
	if err == nil {
		// Decoded means valid JSON: now the keys can be checked.
		var de *dupkeys.DuplicateError
		if errors.As(dupkeys.Check(data), &de) {
			err = &lineError{de.Line, fmt.Errorf("parse pulumi: %w", de)}
		}
	}
	if err == nil {
		err = checkSteps(steps)
	}
	if err != nil {
		line := 0
		if le, ok := err.(*lineError); ok {
			line = le.line
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line}, Err: err})
		return f
	}
	f.Changes = changes(path, steps)
	return f
}

// isEventLog reports whether data is an event log: its first line is a
// whole JSON object with an event field.
func isEventLog(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimLeft(data, " \t\r\n"), []byte("\n"))
	first = bytes.TrimSpace(first)
	if len(first) == 0 || first[0] != '{' || first[len(first)-1] != '}' {
		return false
	}
	for _, ev := range []string{`"preludeEvent"`, `"resourcePreEvent"`, `"sequence"`, `"summaryEvent"`, `"stdoutEvent"`, `"diagnosticEvent"`} {
		if bytes.Contains(first, []byte(ev)) {
			return true
		}
	}
	return false
}

// changes groups steps by URN, in order of first appearance.
func changes(path string, steps []step) []*model.PlannedChange {
	var out []*model.PlannedChange
	byURN := map[string]*model.PlannedChange{}
	ops := map[string][]string{}
	for _, s := range steps {
		c := byURN[s.URN]
		if c == nil {
			c = &model.PlannedChange{Source: Format, Address: s.URN, Type: s.typ(), Provider: s.Provider, Location: model.Location{File: path, Line: s.line}}
			byURN[s.URN] = c
			out = append(out, c)
		}
		ops[s.URN] = append(ops[s.URN], s.Op)
		c.Changed = union(c.Changed, s.Diffs, s.DiffReasons)
		if len(c.Changed) == 0 {
			c.Changed = union(c.Changed, sortedKeys(s.DetailedDiff))
		}
		c.ReplaceReasons = union(c.ReplaceReasons, s.Keys, s.ReplaceReasons)
	}
	for _, c := range out {
		c.Actions = actions(ops[c.Address])
	}
	return out
}

// typ returns the resource type of the step: as declared, else from the
// states, else from the URN ("urn:pulumi:stack::project::parent$type::name").
func (s step) typ() string {
	for _, t := range []string{s.Type, s.NewState.Type, s.OldState.Type, s.NewType.Type, s.OldType.Type} {
		if t != "" {
			return t
		}
	}
	parts := strings.Split(s.URN, "::")
	if len(parts) < 4 {
		return ""
	}
	t := parts[len(parts)-2]
	return t[strings.LastIndexByte(t, '$')+1:]
}

// actions turns a resource's step ops into plan actions.
func actions(ops []string) []string {
	create, del := -1, -1
	replace := false
	for i, op := range ops {
		switch op {
		case "create-replacement":
			create = i
		case "delete-replaced":
			del = i
		case "replace":
			replace = true
		}
	}
	switch {
	case create >= 0 && del >= 0 && del < create:
		return []string{"delete", "create"}
	case create >= 0 || del >= 0 || replace:
		return []string{"create", "delete"}
	}
	var out []string
	for _, op := range ops {
		a := op
		switch op {
		case "same":
			a = "no-op"
		case "refresh", "read", "read-replacement":
			a = "read"
		}
		if len(out) == 0 || out[len(out)-1] != a {
			out = append(out, a)
		}
	}
	return out
}

func union(dst []string, lists ...[]string) []string {
	for _, l := range lists {
		for _, s := range l {
			found := false
			for _, d := range dst {
				found = found || d == s
			}
			if !found {
				dst = append(dst, s)
			}
		}
	}
	return dst
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
