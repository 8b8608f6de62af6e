package registry

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// Verifier checks images against a compiled policy. It is safe for
// concurrent use; attachments are cached by digest for its lifetime.
type Verifier struct {
	c   *Client
	p   *compiled
	now func() time.Time

	cache sync.Map // "<digest> <suffix>" -> *cached
}

// cached is one fetch of attachments, shared by every image with the digest.
type cached struct {
	once  sync.Once
	atts  []attachment
	blobs [][]byte
	err   error
}

// NewVerifier compiles the policy and builds a client. The warnings are
// for weak but valid settings; print them.
func NewVerifier(p Policy, o ClientOptions) (*Verifier, []string, error) {
	cp, warns, err := p.Compile()
	if err != nil {
		return nil, nil, err
	}
	o.Insecure = append(o.Insecure, p.InsecureRegistries...)
	c, err := NewClient(o)
	if err != nil {
		return nil, nil, err
	}
	return &Verifier{c: c, p: cp, now: time.Now}, warns, nil
}

// Result is what the registry said about one image reference.
type Result struct {
	// Artifact is the reference as given.
	Artifact model.Artifact
	// Images are the facts read: the image itself first (for Verify), then
	// the previous releases checked with it, with the artifact's location.
	Images []*model.ImageCheck
	// Problems are what could not be checked (kind model.ImageUnread).
	Problems []model.Problem
}

// Verify reads the facts of every artifact within the total budget of the limits,
// with at most Limits.Workers images in flight. Results are in input
// order. References that are the same image are checked once.
func (v *Verifier) Verify(ctx context.Context, arts []model.Artifact) []Result {
	ctx, cancel := context.WithTimeout(ctx, v.c.lim.Budget)
	defer cancel()
	type job struct {
		key string
		a   model.Artifact
	}
	unique := map[string]*Result{}
	var jobs []job
	for _, a := range arts {
		k := refKey(a)
		if _, ok := unique[k]; !ok {
			unique[k] = nil
			jobs = append(jobs, job{k, a})
		}
	}
	var mu sync.Mutex
	work := make(chan job)
	var wg sync.WaitGroup
	for range min(v.c.lim.Workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for j := range work {
				r := v.verifyOne(ctx, j.a)
				mu.Lock()
				unique[j.key] = &r
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	out := make([]Result, 0, len(arts))
	for _, a := range arts {
		out = append(out, relocate(*unique[refKey(a)], a))
	}
	return out
}

// refKey identifies an image reference independent of where it was written.
func refKey(a model.Artifact) string {
	if a.Err != nil {
		return "invalid " + a.Ref
	}
	return fmt.Sprintf("%s/%s:%s@%s", a.Registry, a.Repository, a.Tag, a.Digest)
}

// relocate copies r for another occurrence a of the same image.
func relocate(r Result, a model.Artifact) Result {
	if r.Artifact.Location == a.Location {
		r.Artifact = a
		return r
	}
	r.Artifact = a
	imgs := make([]*model.ImageCheck, len(r.Images))
	for i, c := range r.Images {
		cp := *c
		cp.Artifact.Location = a.Location
		imgs[i] = &cp
	}
	r.Images = imgs
	ps := make([]model.Problem, len(r.Problems))
	for i, p := range r.Problems {
		p.Location = a.Location
		ps[i] = p
	}
	r.Problems = ps
	return r
}
