package packer

import (
	"errors"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// jsonSettings looks up the settings of a legacy JSON builder.
type jsonSettings struct {
	path string
	n    *jsontree.Node
}

// loc returns the location of n.
func (s jsonSettings) loc(n *jsontree.Node) model.Location {
	return model.Location{File: s.path, Line: n.Line}
}

// str returns a builder setting, its location and whether it is present.
func (s jsonSettings) str(field string) (string, model.Location, bool) {
	n := s.n.Get(field)
	if n == nil {
		return "", model.Location{}, false
	}
	v, _ := n.Str()
	return v, s.loc(n), true
}

// filterMostRecent reports where source_ami_filter sets most_recent to
// true.
func (s jsonSettings) filterMostRecent() (model.Location, bool) {
	n := s.n.Get("source_ami_filter").Get("most_recent")
	if v, ok := n.Bool(); ok && v {
		return s.loc(n), true
	}
	return model.Location{}, false
}

// jsonBuilds decodes a legacy JSON template.
func jsonBuilds(path string, data []byte) ([]*model.Build, error) {
	root, err := jsontree.Parse(data, 0)
	if err != nil {
		return nil, err
	}
	if !root.Get("builders").Is(jsontree.Array) {
		return nil, errors.New("not a packer template: no builders array")
	}
	var builds []*model.Build
	for _, bn := range root.Get("builders").Items() {
		s := jsonSettings{path: path, n: bn}
		typ, _ := bn.Get("type").Str()
		name, ok := bn.Get("name").Str()
		if !ok {
			name = typ
		}
		b := newBuild(typ, name, s.loc(bn))
		b.MachineImages = machineImages(s)
		if typ == "docker" {
			if img := bn.Get("image"); img != nil {
				ref, _ := img.Str()
				b.Bases = append(b.Bases, model.NewArtifact(ref, s.loc(img)))
			}
		}
		builds = append(builds, b)
	}
	for _, pn := range root.Get("provisioners").Items() {
		typ, _ := pn.Get("type").Str()
		inline := pn.Get("inline")
		if skippedProvisioners[typ] || inline == nil {
			continue
		}
		lines, _ := inline.Strings()
		step := model.Command{Shell: strings.Join(lines, "\n"), Context: "provisioner " + typ, Location: jsonSettings{path: path}.loc(inline)}
		for _, b := range jsonTargets(pn, builds) {
			b.Steps = append(b.Steps, step)
		}
	}
	return builds, nil
}

// jsonTargets applies a provisioner's "only" and "except" lists.
func jsonTargets(pn *jsontree.Node, builds []*model.Build) []*model.Build {
	only, _ := pn.Get("only").Strings()
	except, _ := pn.Get("except").Strings()
	var out []*model.Build
	for _, b := range builds {
		name := b.Name[strings.IndexByte(b.Name, '.')+1:]
		if len(only) > 0 && !contains(only, name) || contains(except, name) {
			continue
		}
		out = append(out, b)
	}
	return out
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
