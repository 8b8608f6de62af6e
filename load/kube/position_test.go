package kube

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// TestLocationsPointAtValues checks, for every fixture and corpus file,
// that the location of each image, port, capability and setting points at
// the text of that value in the file: positions are lines of the whole
// stream and columns of the value.
func TestLocationsPointAtValues(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob("testdata/*.yaml")
	json, _ := filepath.Glob("testdata/*.json")
	paths = append(append(paths, json...), corpusFiles(t)...)
	var checked int
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.Split(data, []byte("\n"))
		at := func(loc model.Location, want ...string) {
			t.Helper()
			if loc.File != p || loc.Line < 1 || loc.Line > len(lines) || loc.Column < 1 || loc.Column > len(lines[loc.Line-1])+1 {
				t.Errorf("%s: location %v is outside the file", p, loc)
				return
			}
			text := string(lines[loc.Line-1][loc.Column-1:])
			for _, w := range want {
				if strings.HasPrefix(text, w) || strings.HasPrefix(text, `"`+w) || strings.HasPrefix(text, "'"+w) {
					checked++
					return
				}
			}
			t.Errorf("%s:%d:%d: %q does not start with %q", p, loc.Line, loc.Column, text, want)
		}
		for _, w := range Load(p, data, Options{}).Workloads {
			for _, c := range w.Containers {
				if c.Image.Ref != "" {
					at(c.Image.Location, c.Image.Ref, ">", "|") // or a block scalar
				}
				for _, port := range c.Ports {
					if port.Number != 0 { // 0: not written, located at the entry
						at(port.Location, strconv.Itoa(port.Number), "0x")
					}
				}
				for _, cp := range c.AddedCapabilities {
					at(cp.Location, cp.Value)
				}
				if c.ReadOnlyRoot != nil {
					at(c.ReadOnlyRoot.Location, strconv.FormatBool(c.ReadOnlyRoot.Value), "yes", "no")
				}
				for _, cmd := range c.Commands {
					at(cmd.Location, cmd.Context, "command")
				}
			}
			for _, h := range w.HostPaths {
				at(h.Location, "name", "hostPath", "- name", "{")
			}
			if w.UpdateStrategy.Value != "" {
				at(w.UpdateStrategy.Location, w.UpdateStrategy.Value)
			}
			if w.RevisionHistoryLimit != nil {
				at(w.RevisionHistoryLimit.Location, strconv.FormatInt(w.RevisionHistoryLimit.Value, 10))
			}
		}
	}
	if checked < 1000 {
		t.Errorf("checked only %d locations", checked)
	}
}
