package registry

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/immutcheck/immutcheck/model"
)

// Fault tests (RELIABILITY.md §8 F1–F8 and §5 cases 28–45): a
// fault-injecting handler sits in front of the registry. The same wraps
// run against the real registry in the end-to-end tests.

// wantCheckFailed asserts the result is a could-not-check finding whose
// message contains want, and never verified.
func wantCheckFailed(t *testing.T, r outcome, want string) {
	t.Helper()
	if r.Verified {
		t.Fatal("result is verified")
	}
	for _, f := range r.Findings {
		if f.Rule.ID == "image-check-failed" && strings.Contains(f.Message, want) {
			return
		}
	}
	t.Fatalf("no image-check-failed finding containing %q: %v", want, r.Findings)
}

// faultOn wraps next: requests whose path contains pathPart go to fault.
func faultOn(pathPart string, fault http.HandlerFunc) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, pathPart) {
				fault(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// signedImage pushes a signed image to host and returns the policy and the
// reference by digest.
func signedImage(t *testing.T, host string) (Policy, string) {
	t.Helper()
	key := newSigner(t)
	repo := host + "/app"
	d := pushRandom(t, repo+":v1")
	attachImage(t, repo, d, "sig", []mutate.Addendum{key.signLayer(t, d)})
	return Policy{Keys: []string{key.pubPath}}, repo + "@" + d
}

func TestFaultUnreachable(t *testing.T) { // F1
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := l.Addr().String()
	l.Close()
	v := newTestVerifier(t, Policy{}, nil, host)
	start := time.Now()
	wantCheckFailed(t, verifyRef(t, v, host+"/app:v1"), "registry unreachable")
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestFaultSlow(t *testing.T) { // F2
	t.Parallel()
	for name, fault := range map[string]http.HandlerFunc{
		"headers after 20s": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(20 * time.Second):
			}
		},
		"body dribbled": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.WriteHeader(200)
			for i := 0; i < 200 && r.Context().Err() == nil; i++ {
				w.Write([]byte(" "))
				w.(http.Flusher).Flush()
				time.Sleep(100 * time.Millisecond)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			host := memRegistry(t, faultOn("/manifests/", fault))
			l := testLimits()
			l.RequestTimeout, l.Retries = 500*time.Millisecond, 1
			v, _, err := NewVerifier(Policy{InsecureRegistries: []string{host}}, ClientOptions{Limits: l})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			wantCheckFailed(t, verifyRef(t, v, host+"/app:v1"), "registry unreachable")
			t.Logf("gave up after %s", time.Since(start))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s with a 500ms request timeout", d)
			}
		})
	}
}

func TestFaultRetries(t *testing.T) { // F3
	t.Parallel()
	var n atomic.Int32
	var inner http.Handler
	host := memRegistry(t, func(next http.Handler) http.Handler {
		inner = next
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(r.URL.Path, "/manifests/") && n.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			inner.ServeHTTP(w, r)
		})
	})
	p, ref := signedImage(t, host)
	n.Store(0)
	v := newTestVerifier(t, p, nil, host)
	if r := verifyRef(t, v, ref); !r.Verified {
		t.Fatalf("two 503s then success: not verified: %v", r.Findings)
	}

	var calls atomic.Int32
	always := memRegistry(t, faultOn("/manifests/", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	v = newTestVerifier(t, Policy{}, nil, always)
	wantCheckFailed(t, verifyRef(t, v, always+"/app:v1"), "429")
	if got, want := calls.Load(), int32(testLimits().Retries+1); got != want {
		t.Errorf("%d requests, want %d (bounded retries)", got, want)
	}
}

func TestFaultBodies(t *testing.T) { // F4, F6, cases 28–33
	t.Parallel()
	ambiguous := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"layers":[]}`
	typeMismatch := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`
	var many strings.Builder
	many.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
	for i := range 2000 {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"sha256:%064x"}`, i)
	}
	many.WriteString("]}")
	tests := []struct {
		name, body, contentType, want string
		pinned                        bool
		endless                       bool
	}{
		{"ambiguous index and manifest", ambiguous, "application/vnd.oci.image.index.v1+json", "both manifests and layers", true, false},
		{"media type differs from content type", typeMismatch, "application/vnd.oci.image.manifest.v1+json", "differs from Content-Type", true, false},
		{"index with 2000 manifests", many.String(), "application/vnd.oci.image.index.v1+json", "more than 1024", true, false},
		{"endless body", "", "application/vnd.oci.image.manifest.v1+json", "limit exceeded", false, true},
		{"over 4 MiB", strings.Repeat(" ", 5<<20), "application/vnd.oci.image.manifest.v1+json", "limit exceeded", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			host := memRegistry(t, faultOn("/manifests/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				if tt.endless {
					chunk := []byte(strings.Repeat("x", 64<<10))
					for r.Context().Err() == nil {
						if _, err := w.Write(chunk); err != nil {
							return
						}
					}
					return
				}
				w.Write([]byte(tt.body))
			}))
			ref := host + "/app:v1"
			if tt.pinned {
				ref = host + "/app@" + sha256Digest([]byte(tt.body))
			}
			wantCheckFailed(t, verifyRef(t, newTestVerifier(t, Policy{}, nil, host), ref), tt.want)
		})
	}
}

func TestFaultDigestMismatch(t *testing.T) { // F6, case 29
	t.Parallel()
	var inner http.Handler
	host := memRegistry(t, func(next http.Handler) http.Handler {
		inner = next
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.URL.Path, "/manifests/sha256:") {
				inner.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			inner.ServeHTTP(rec, r)
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			w.Write(append(rec.Body.Bytes()[:rec.Body.Len()-1], ' ', '}'))
		})
	})
	p, ref := signedImage(t, host)
	wantCheckFailed(t, verifyRef(t, newTestVerifier(t, p, nil, host), ref), "digest mismatch")
}

func TestFaultManySignatures(t *testing.T) { // F8, cases 31 and 45
	t.Parallel()
	host := memRegistry(t, nil)
	key := newSigner(t)
	repo := host + "/app"
	d := pushRandom(t, repo+":v1")
	layers := make([]mutate.Addendum, 60)
	for i := range layers {
		layers[i] = key.signLayer(t, d)
	}
	attachImage(t, repo, d, "sig", layers)
	start := time.Now()
	r := verifyRef(t, newTestVerifier(t, Policy{Keys: []string{key.pubPath}}, nil, host), repo+"@"+d)
	wantCheckFailed(t, r, "60 entries, more than 50")
	if time.Since(start) > 10*time.Second {
		t.Error("not bounded in time")
	}
}

func TestFaultBadDescriptorDigest(t *testing.T) { // case 30
	t.Parallel()
	host := memRegistry(t, faultOn(".sig", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
		fmt.Fprint(w, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"x","size":1,"digest":"sha256:`+strings.Repeat("a", 64)+`"},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":10,"digest":"sha256:../../etc/passwd"}]}`)
	}))
	p, ref := signedImage(t, host)
	wantCheckFailed(t, verifyRef(t, newTestVerifier(t, p, nil, host), ref), "malformed")
	v := newTestVerifier(t, Policy{}, nil, host)
	r := v.Verify(context.Background(), []model.Artifact{model.NewArtifact(host+"/app@sha256:../../x", model.Location{})})[0]
	wantCheckFailed(t, judge(t, v, r), "reference")
}

func TestFaultPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	host := memRegistry(t, nil)
	v, _, err := NewVerifier(Policy{}, ClientOptions{Limits: testLimits()})
	if err != nil {
		t.Fatal(err)
	}
	wantCheckFailed(t, verifyRef(t, v, host+"/app:v1"), "plain HTTP not allowed")
}

// staticKeychain holds Basic credentials for one registry host.
type staticKeychain struct{ host string }

func (k staticKeychain) Resolve(r authn.Resource) (authn.Authenticator, error) {
	if r.RegistryStr() == k.host {
		return authn.FromConfig(authn.AuthConfig{Username: "ci", Password: "s3cret"}), nil
	}
	return authn.Anonymous, nil
}

// recorder is a foreign host that records the Authorization headers it
// receives.
type recorder struct {
	mu    sync.Mutex
	auths []string
	srv   *httptest.Server
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	rc := &recorder{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc.mu.Lock()
		rc.auths = append(rc.auths, r.Header.Get("Authorization"))
		rc.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// host names the recorder as localhost, another host than 127.0.0.1.
func (rc *recorder) host() string {
	return "localhost:" + rc.srv.URL[strings.LastIndexByte(rc.srv.URL, ':')+1:]
}

func (rc *recorder) sawCredentials() []string {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []string
	for _, a := range rc.auths {
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

func TestFaultCrossHostRealm(t *testing.T) { // F7, guarantee 8
	t.Parallel()
	tokens := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"token":"anon-token"}`)
	})
	var inner http.Handler
	host := memRegistry(t, func(next http.Handler) http.Handler {
		inner = next
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer anon-token" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="http://`+tokens.host()+`/token",service="reg"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			inner.ServeHTTP(w, r)
		})
	})
	img := host + "/app:v1"
	v, _, err := NewVerifier(Policy{InsecureRegistries: []string{host, tokens.host()}}, ClientOptions{Limits: testLimits(), Keychain: staticKeychain{host}})
	if err != nil {
		t.Fatal(err)
	}
	// Push around the auth wall through the inner handler.
	pushDirect(t, inner, img)
	r := verifyRef(t, v, img)
	if len(tokens.auths) == 0 {
		t.Fatal("token realm never asked: the test does not exercise the guard")
	}
	if creds := tokens.sawCredentials(); len(creds) > 0 {
		t.Fatalf("credentials sent to a realm on another host: %q", creds)
	}
	if r.Digest == "" {
		t.Errorf("anonymous token not used: %v", r.Findings)
	}
}

func TestFaultCrossHostRedirect(t *testing.T) { // F7
	t.Parallel()
	foreign := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) })
	var inner http.Handler
	host := memRegistry(t, func(next http.Handler) http.Handler {
		inner = next
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") == "" {
				w.Header().Set("WWW-Authenticate", `Basic realm="reg"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			if strings.Contains(r.URL.Path, "/manifests/") {
				http.Redirect(w, r, "http://"+foreign.host()+r.URL.Path, http.StatusTemporaryRedirect)
				return
			}
			inner.ServeHTTP(w, r)
		})
	})
	v, _, err := NewVerifier(Policy{InsecureRegistries: []string{host, foreign.host()}}, ClientOptions{Limits: testLimits(), Keychain: staticKeychain{host}})
	if err != nil {
		t.Fatal(err)
	}
	r := verifyRef(t, v, host+"/app:v1")
	if len(foreign.auths) == 0 {
		t.Fatal("redirect never followed: the test does not exercise it")
	}
	if creds := foreign.sawCredentials(); len(creds) > 0 {
		t.Fatalf("credentials sent across a redirect: %q", creds)
	}
	if r.Verified {
		t.Error("verified although the manifest was never served")
	}
}

// pushDirect pushes a random image through h without auth.
func pushDirect(t *testing.T, h http.Handler, ref string) {
	t.Helper()
	s := httptest.NewServer(h)
	defer s.Close()
	_, rest, _ := strings.Cut(ref, "/")
	pushRandom(t, strings.TrimPrefix(s.URL, "http://")+"/"+rest)
}
