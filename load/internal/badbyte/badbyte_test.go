package badbyte

import "testing"

func TestLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		data string
		want int
	}{
		{"a\nb\nc\n", 0},
		{"a\nb\nc\nd\xff\n", 4},
		{"a\nb\nc\nd\x00\n", 4},
		{"a\tb\r\n\xc3\xa9\n\x1b", 3},
		{"é\u0085\n\u0090", 2},
	}
	for _, tt := range tests {
		if got := Line([]byte(tt.data)); got != tt.want {
			t.Errorf("Line(%q) = %d, want %d", tt.data, got, tt.want)
		}
	}
	if !IsReaderError("yaml: invalid leading UTF-8 octet") || IsReaderError("yaml: line 3: mapping values") {
		t.Error("IsReaderError")
	}
}
