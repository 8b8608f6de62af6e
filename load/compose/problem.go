package compose

import (
	"bytes"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

var (
	// yamlLine finds the lines in a YAML error ("yaml: line 3: ..."); the
	// last one is where the parser stopped.
	yamlLine = regexp.MustCompile(`\bline (\d+)(?:, column \d+)?:`)
	// yamlOffset finds the byte offset in a YAML scanner error.
	yamlOffset = regexp.MustCompile(`\byaml: offset (\d+):`)
	// topMust finds a top-level key of the wrong type ("services must be a mapping").
	topMust = regexp.MustCompile(`^([a-z_]+) must be`)
	// servicePath finds a service (and field) in a validation error
	// ("services.web.ports.0 must be ...").
	servicePath = regexp.MustCompile(`\bservices\.([A-Za-z0-9._-]+?)(?:\.([a-z_]+))?(?:[.\s:]|$)`)
	// serviceQuoted finds a service named in a loader error ("service "web" ...").
	serviceQuoted = regexp.MustCompile(`service "([^"]+)"`)
	// loadOf finds the file named in a guard error.
	loadOf = regexp.MustCompile(`include or extends of "([^"]*)"`)
	// topKey finds an unknown top-level key in a validation error.
	topKey = regexp.MustCompile(`additional properties '([^']+)' not allowed`)
)

// problem turns a load error into a Rejected problem, locating it as well
// as the message allows: a YAML error carries its line, a validation error
// names the path of the offending value.
func problem(path string, data []byte, ix *index, root string, err error) model.Problem {
	msg := err.Error()
	if root != "" {
		// Error messages name files by absolute path; keep the report
		// free of this machine's directories.
		msg = strings.ReplaceAll(msg, root+"/", "")
	}
	if len(msg) > maxErrLen {
		msg = strings.ToValidUTF8(msg[:maxErrLen], "") + "..."
	}
	loc := model.Location{File: path}
	if m := loadOf.FindStringSubmatch(msg); m != nil && ix != nil {
		// An include or extends refused: point at the reference, even
		// when the message also has a line of the referenced file.
		loc, _ = ix.reference(m[1])
		loc.File = path
	} else if m := yamlLine.FindAllStringSubmatch(msg, -1); m != nil {
		loc.Line, _ = strconv.Atoi(m[len(m)-1][1])
	} else if m := yamlOffset.FindStringSubmatch(msg); m != nil {
		if off, err := strconv.Atoi(m[1]); err == nil && off <= len(data) {
			loc.Line = 1 + bytes.Count(data[:off], []byte("\n"))
		}
	} else if ix != nil {
		loc = locate(ix, msg)
	}
	return model.Problem{Kind: model.Rejected, Location: loc, Err: errors.New(msg)}
}

// locate finds the position of what a compose-go message names.
func locate(ix *index, msg string) model.Location {
	if m := topMust.FindStringSubmatch(msg); m != nil {
		if f, ok := ix.top[m[1]]; ok {
			return ix.loc(f.key)
		}
	}
	if m := topKey.FindStringSubmatch(msg); m != nil {
		if f, ok := ix.top[m[1]]; ok {
			return ix.loc(f.key)
		}
	}
	for _, m := range servicePath.FindAllStringSubmatch(msg, -1) {
		if _, ok := ix.services[m[1]]; ok {
			if m[2] != "" {
				return ix.fieldLoc(m[1], m[2])
			}
			return ix.serviceLoc(m[1])
		}
	}
	if m := serviceQuoted.FindStringSubmatch(msg); m != nil {
		if _, ok := ix.services[m[1]]; ok {
			return ix.serviceLoc(m[1])
		}
	}
	// "invalid containerPort: ${PORT}": the value that did not parse,
	// looked up among the indexed items.
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i > 3 {
		value := msg[i+2:]
		for _, line := range slices.Sorted(maps.Keys(ix.keys)) {
			if n := ix.keys[line].node; n.Kind == yaml.ScalarNode && strings.Contains(n.Value, value) {
				return ix.loc(n)
			}
		}
	}
	return model.Location{File: ix.path}
}
