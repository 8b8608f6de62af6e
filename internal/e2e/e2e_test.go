package e2e

import "testing"

func TestRequired(t *testing.T) {
	tests := []struct {
		require, ci string
		want        bool
	}{
		{"", "", false},
		{"0", "", false},
		{"1", "", true},
		{"", "true", true},
		{"0", "true", true},
	}
	for _, tt := range tests {
		t.Setenv(RequireVar, tt.require)
		t.Setenv("CI", tt.ci)
		if got := Required(); got != tt.want {
			t.Errorf("%s=%q CI=%q: Required() = %v, want %v", RequireVar, tt.require, tt.ci, got, tt.want)
		}
	}
}
