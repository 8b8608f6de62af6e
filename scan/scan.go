// Package scan runs the static pipeline: walk the paths, load each input
// into the model, evaluate the rules, collect the findings.
//
// Inputs are streamed: a bounded number of files is in memory at once, so
// memory grows with the number of findings, not with the number of files.
package scan

import (
	"context"
	"runtime"
	"sync"

	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Options configure a scan.
type Options struct {
	// Paths are files, directories or "-" for standard input.
	Paths []string
	Load  load.Options
	// Jobs is the number of inputs loaded at once; 0 means GOMAXPROCS.
	Jobs int
	// Progress, when set, is called with the number of inputs done so far.
	// Calls come from one goroutine at a time.
	Progress func(done int)
	// Visit, when set, is called with every loaded file after its rules
	// ran, from several goroutines at once; it must not keep f's slices
	// beyond what it copies.
	Visit func(f *model.File)
}

// Result is what a scan found.
type Result struct {
	// Findings are sorted with rules.Sort.
	Findings []rules.Finding
	// Files is the number of inputs that were declarations (read or
	// rejected); files skipped as not being declarations are not counted.
	Files int
}

// Run scans opts.Paths with the evaluator.
func Run(ctx context.Context, opts Options, ev *rules.Evaluator) (*Result, error) {
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	inputs := make(chan load.Input, jobs*2)
	var walkErr error
	go func() {
		defer close(inputs)
		walkErr = load.Walk(ctx, opts.Paths, opts.Load, func(in load.Input) error {
			select {
			case inputs <- in:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()

	type done struct {
		findings []rules.Finding
		counted  bool
	}
	results := make(chan done, jobs)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range inputs {
				f := load.Load(ctx, in, opts.Load)
				if f == nil {
					results <- done{}
					continue
				}
				fs := ev.Evaluate(f)
				if opts.Visit != nil {
					opts.Visit(f)
				}
				results <- done{findings: fs, counted: true}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	res := &Result{}
	n := 0
	for d := range results {
		res.Findings = append(res.Findings, d.findings...)
		if d.counted {
			res.Files++
		}
		n++
		if opts.Progress != nil {
			opts.Progress(n)
		}
	}
	if walkErr != nil {
		return nil, walkErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rules.Sort(res.Findings)
	return res, nil
}
