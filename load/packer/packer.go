package packer

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format name of Packer inputs.
const Format = "packer"

// Load decodes a Packer template read from path: JSON when it starts with
// "{", HCL2 otherwise.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		f.Builds, err = jsonBuilds(path, data)
		if err != nil {
			err = fmt.Errorf("parse packer json template: %w", err)
		}
	} else {
		f.Builds, err = hclBuilds(path, data)
		if err != nil {
			err = fmt.Errorf("parse packer template: %w", err)
		}
	}
	if err != nil {
		loc := model.Location{File: path, Line: jsontree.LineOf(err)}
		var pe *hclread.ParseError
		if errors.As(err, &pe) {
			loc = pe.Location
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: loc, Err: err})
	}
	return f
}

// skippedProvisioners run on the build host, not in the image.
var skippedProvisioners = map[string]bool{"shell-local": true, "breakpoint": true}

// newBuild returns the build of one source of the given builder type.
func newBuild(typ, name string, loc model.Location) *model.Build {
	return &model.Build{Source: Format, Name: typ + "." + name, Location: loc}
}

// settings looks up a builder's settings in either syntax.
type settings interface {
	str(field string) (string, model.Location, bool)
	filterMostRecent() (model.Location, bool)
}

// machineImages returns the machine images a builder starts from. Fields
// follow the builders' documentation: amazon-* (source_ami,
// source_ami_filter), googlecompute (source_image, source_image_family),
// azure-arm (image_publisher/offer/sku/version).
func machineImages(s settings) []model.MachineImage {
	var out []model.MachineImage
	if v, loc, ok := s.str("source_ami"); ok && v != "" {
		out = append(out, model.MachineImage{Field: "source_ami", Value: v, Location: loc})
	}
	if loc, ok := s.filterMostRecent(); ok {
		out = append(out, model.MachineImage{Field: "source_ami_filter", Value: "with most_recent = true", Query: true, Location: loc})
	}
	if v, loc, ok := s.str("source_image"); ok && v != "" {
		out = append(out, model.MachineImage{Field: "source_image", Value: v, Location: loc})
	}
	if v, loc, ok := s.str("source_image_family"); ok && v != "" {
		out = append(out, model.MachineImage{Field: "source_image_family", Value: v, Query: true, Location: loc})
	}
	if pub, loc, ok := s.str("image_publisher"); ok && pub != "" {
		ver, vloc, ok := s.str("image_version")
		if !ok || ver == "" || ver == "latest" {
			if ok {
				loc = vloc
			}
			out = append(out, model.MachineImage{Field: "image_version", Value: "latest of " + pub, Query: true, Location: loc})
		}
	}
	return out
}
