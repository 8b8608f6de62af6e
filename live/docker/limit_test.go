package docker

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

type fixedResponse struct {
	ctype string
	size  int
}

func (f fixedResponse) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{}
	h.Set("Content-Type", f.ctype)
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(strings.Repeat("x", f.size)))}, nil
}

func TestLimitTransport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ctype, path string
		size        int
		fail        bool
	}{
		{"application/json", "/v1.41/containers/x/json", maxJSONResponse, false},
		{"application/json", "/v1.41/containers/x/json", maxJSONResponse + 1, true},
		{"application/json", "/v1.41/events", maxJSONResponse + 1, false},
		{"application/x-tar", "/v1.41/containers/x/archive", maxJSONResponse + 1, false},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, "http://docker"+tt.path, nil)
		resp, err := limitTransport{next: fixedResponse{tt.ctype, tt.size}}.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		if (err != nil) != tt.fail {
			t.Errorf("%s %s %d bytes: read %d, err %v; want failure %v", tt.ctype, tt.path, tt.size, n, err, tt.fail)
		}
	}
}
