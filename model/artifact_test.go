package model

import "testing"

func TestNewArtifact(t *testing.T) {
	t.Parallel()
	const dg = "sha256:0000000000000000000000000000000000000000000000000000000000000001"
	tests := []struct {
		ref            string
		pinned, latest bool
		registry, repo string
		tag            string
		bad            bool
	}{
		{ref: "nginx", latest: true, registry: "index.docker.io", repo: "library/nginx"},
		{ref: "nginx:latest", latest: true, registry: "index.docker.io", repo: "library/nginx", tag: "latest"},
		{ref: "nginx:1.27", registry: "index.docker.io", repo: "library/nginx", tag: "1.27"},
		{ref: "localhost:5000/app", latest: true, registry: "localhost:5000", repo: "app"},
		{ref: "ghcr.io/org/app:v1@" + dg, pinned: true, registry: "ghcr.io", repo: "org/app", tag: "v1"},
		{ref: "ghcr.io/org/app@" + dg, pinned: true, registry: "ghcr.io", repo: "org/app"},
		{ref: "${IMAGE}", bad: true},
		{ref: "app@sha256:short", bad: true},
		{ref: "", bad: true},
		{ref: "UPPER/case", bad: true},
	}
	for _, tt := range tests {
		a := NewArtifact(tt.ref, Location{File: "f"})
		if (a.Err != nil) != tt.bad {
			t.Errorf("%q: err = %v, want bad=%v", tt.ref, a.Err, tt.bad)
			continue
		}
		if tt.bad {
			if a.Pinned() || a.Latest() {
				t.Errorf("%q: invalid reference must be neither pinned nor latest", tt.ref)
			}
			continue
		}
		if a.Pinned() != tt.pinned || a.Latest() != tt.latest || a.Registry != tt.registry || a.Repository != tt.repo || a.Tag != tt.tag {
			t.Errorf("%q: got pinned=%v latest=%v %s/%s tag=%q", tt.ref, a.Pinned(), a.Latest(), a.Registry, a.Repository, a.Tag)
		}
	}
}
