package model

import "testing"

func TestInRegistries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref     string
		allowed []string
		want    bool
	}{
		{"ghcr.io/acme/web:1", []string{"ghcr.io"}, true},
		{"ghcr.io/acme/web:1", []string{"ghcr.io/acme/"}, true},
		{"ghcr.io/acmeevil/web:1", []string{"ghcr.io/acme"}, false},
		{"nginx:1", []string{"docker.io"}, true},
		{"nginx:1", []string{"docker.io/library"}, true},
		{"evil.example/nginx:1", []string{"docker.io", "ghcr.io"}, false},
		{"ghcr.io/acme/web:1", nil, false},
	}
	for _, tt := range tests {
		if got := NewArtifact(tt.ref, Location{}).InRegistries(tt.allowed); got != tt.want {
			t.Errorf("%s in %v = %v, want %v", tt.ref, tt.allowed, got, tt.want)
		}
	}
}
