package nomad

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// Load decodes a Nomad job file read from path: JSON when it starts with
// "{", HCL2 otherwise.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	var jobs []*job
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var j *job
		j, err = jsonJob(path, data)
		jobs = []*job{j}
		if err != nil {
			err = fmt.Errorf("parse nomad json job: %w", err)
		}
	} else {
		jobs, err = hclJobs(path, data)
		if err != nil {
			err = fmt.Errorf("parse nomad job: %w", err)
		}
	}
	if err != nil {
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: errorLocation(path, err), Err: err})
		return f
	}
	for _, j := range jobs {
		f.Workloads = append(f.Workloads, j.workloads()...)
	}
	return f
}

// errorLocation returns where a parse error happened.
func errorLocation(path string, err error) model.Location {
	var pe *hclread.ParseError
	if errors.As(err, &pe) {
		return pe.Location
	}
	return model.Location{File: path, Line: jsontree.LineOf(err)}
}
