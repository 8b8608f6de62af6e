package loadtest

import (
	"os"
	"testing"
)

// Read reads a file or fails the test.
func Read(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
