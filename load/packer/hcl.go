package packer

import (
	"errors"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"github.com/immutcheck/immutcheck/model"
)

// hclSettings looks up the settings of a source block.
type hclSettings struct {
	e    *hclread.Evaluator
	body *hclsyntax.Body
}

// str returns a source setting (evaluated when it can be, else its source
// text), its location and whether it is present.
func (s hclSettings) str(field string) (string, model.Location, bool) {
	a := hclread.Attr(s.body, field)
	if a == nil {
		return "", model.Location{}, false
	}
	v, _ := s.e.String(a)
	return v, s.e.Loc(a.SrcRange), true
}

// filterMostRecent reports where a source_ami_filter block sets
// most_recent to true.
func (s hclSettings) filterMostRecent() (model.Location, bool) {
	fb := hclread.Block(s.body, "source_ami_filter")
	if fb == nil {
		return model.Location{}, false
	}
	a := hclread.Attr(fb.Body, "most_recent")
	if v, ok := s.e.Bool(a); ok && v {
		return s.e.Loc(a.SrcRange), true
	}
	return model.Location{}, false
}

// hclBuilds decodes the sources and build blocks of an HCL2 template.
func hclBuilds(path string, data []byte) ([]*model.Build, error) {
	body, err := hclread.Parse(path, data)
	if err != nil {
		return nil, err
	}
	e := hclread.NewEvaluator(path, data, body)
	var builds []*model.Build
	byName := map[string]*model.Build{}
	for _, sb := range hclread.Blocks(body, "source") {
		if len(sb.Labels) != 2 {
			return nil, errors.New("source block needs a type and a name label")
		}
		b := newBuild(sb.Labels[0], sb.Labels[1], e.Loc(sb.DefRange()))
		b.MachineImages = machineImages(hclSettings{e: e, body: sb.Body})
		if sb.Labels[0] == "docker" {
			if a := hclread.Attr(sb.Body, "image"); a != nil {
				ref, _ := e.String(a)
				b.Bases = append(b.Bases, model.NewArtifact(ref, e.Loc(a.SrcRange)))
			}
		}
		builds = append(builds, b)
		byName["source."+b.Name] = b
	}
	for _, bb := range hclread.Blocks(body, "build") {
		targets, missing := buildTargets(e, bb, byName)
		for _, n := range missing {
			// A source declared in another file of the template's
			// directory: its provisioners are still checked here.
			b := &model.Build{Source: Format, Name: n, Location: e.Loc(bb.DefRange())}
			builds = append(builds, b)
			byName["source."+n] = b
			targets = append(targets, b)
		}
		if len(targets) == 0 {
			targets = builds
		}
		steps := hclSteps(e, bb.Body)
		for _, b := range targets {
			b.Steps = append(b.Steps, steps...)
		}
	}
	return builds, nil
}

// buildTargets returns the sources a build block uses (its sources list and
// its source blocks), and the names of those not declared in this file.
func buildTargets(e *hclread.Evaluator, bb *hclsyntax.Block, byName map[string]*model.Build) (found []*model.Build, missing []string) {
	var names []string
	if a := hclread.Attr(bb.Body, "sources"); a != nil {
		names, _ = e.Strings(a)
	}
	for _, sb := range hclread.Blocks(bb.Body, "source") {
		names = append(names, hclread.Label(sb, 0))
	}
	for _, n := range names {
		n = strings.TrimPrefix(strings.TrimSpace(n), "source.")
		if b := byName["source."+n]; b != nil {
			found = append(found, b)
		} else if n != "" && !contains(missing, n) {
			missing = append(missing, n)
		}
	}
	return found, missing
}

// hclSteps returns the inline commands of a build's provisioners.
func hclSteps(e *hclread.Evaluator, body *hclsyntax.Body) []model.Command {
	var out []model.Command
	for _, pb := range hclread.Blocks(body, "provisioner") {
		typ := hclread.Label(pb, 0)
		if skippedProvisioners[typ] {
			continue
		}
		a := hclread.Attr(pb.Body, "inline")
		if a == nil {
			continue
		}
		lines, _ := e.Strings(a)
		out = append(out, model.Command{Shell: strings.Join(lines, "\n"), Context: "provisioner " + typ, Location: e.Loc(a.SrcRange)})
	}
	return out
}
