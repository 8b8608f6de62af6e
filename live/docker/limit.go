package docker

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxJSONResponse bounds an engine JSON response (inspect, list, top,
// diff): labels or environments of megabytes must not exhaust memory
// (RELIABILITY.md F23). Streams (archives, events) are not JSON documents
// and are bounded where they are read.
const maxJSONResponse = 64 << 20

// limitTransport wraps the engine client's transport with the bound.
type limitTransport struct{ next http.RoundTripper }

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && !strings.HasSuffix(req.URL.Path, "/events") {
		resp.Body = &limitedBody{rc: resp.Body, left: maxJSONResponse}
	}
	return resp, nil
}

type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n == 0 && err != nil {
			return 0, err // the response ended exactly at the bound
		}
		return 0, fmt.Errorf("engine response larger than %d bytes", int64(maxJSONResponse))
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
