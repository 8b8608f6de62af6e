package cli

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"

	"github.com/immutcheck/immutcheck/internal/kubetest"
)

// faultAction is what the fault proxy does with one request.
type faultAction struct {
	// status, when not 0, is answered instead of forwarding, with a
	// Retry-After header when retryAfter is set.
	status     int
	retryAfter string
	// hangup closes the connection without an answer.
	hangup bool
	// down, when not 0, hangs up and stops listening for that long: the
	// API server restarting.
	down time.Duration
}

// faultProxy stands between the audit and the real API server and
// injects faults: it forwards every request with the cluster-admin
// credentials unless fault says otherwise.
type faultProxy struct {
	t     *testing.T
	addr  string
	proxy *httputil.ReverseProxy

	mu       sync.Mutex
	srv      *http.Server
	fault    func(r *http.Request) faultAction // called with mu held
	injected int
	restarts int
}

func newFaultProxy(t *testing.T, kc *kubetest.Cluster, fault func(r *http.Request) faultAction) *faultProxy {
	t.Helper()
	target, err := url.Parse(kc.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := rest.TransportFor(kc.Config)
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{t: t, fault: fault, proxy: &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.Out.Header.Del("Authorization") // the transport authenticates
		},
		Transport: rt,
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = l.Addr().String()
	p.serve(l)
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.srv.Close()
	})
	return p
}

func (p *faultProxy) serve(l net.Listener) {
	p.srv = &http.Server{Handler: p}
	go p.srv.Serve(l)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	a := p.fault(r)
	if a != (faultAction{}) {
		p.injected++
	}
	p.mu.Unlock()
	switch {
	case a.status != 0:
		if a.retryAfter != "" {
			w.Header().Set("Retry-After", a.retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		fmt.Fprintf(w, `{"kind":"Status","apiVersion":"v1","status":"Failure","message":"injected by the test","code":%d}`, a.status)
	case a.hangup || a.down != 0:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			p.t.Errorf("hijack: %v", err)
			return
		}
		conn.Close()
		if a.down != 0 {
			go p.restart(a.down)
		}
	default:
		p.proxy.ServeHTTP(w, r)
	}
}

// restart stops listening for d, then listens on the same address again.
func (p *faultProxy) restart(d time.Duration) {
	p.mu.Lock()
	p.srv.Close()
	p.restarts++
	p.mu.Unlock()
	time.Sleep(d)
	deadline := time.Now().Add(5 * time.Second)
	for {
		l, err := net.Listen("tcp", p.addr)
		if err == nil {
			p.mu.Lock()
			p.serve(l)
			p.mu.Unlock()
			return
		}
		if time.Now().After(deadline) {
			p.t.Errorf("listen again on %s: %v", p.addr, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// midList reports whether r asks for a later page of the pods of ns.
func midList(r *http.Request, ns string) bool {
	return r.URL.Path == "/api/v1/namespaces/"+ns+"/pods" && r.URL.Query().Get("continue") != ""
}

// TestE2EClusterFaults: an unreachable API server exits 3 naming it;
// 429 and 5xx answers in the middle of a list are retried; an API server
// that restarts in the middle of a list is waited for; one that stops
// answering in the middle of a list fails the run with exit 3 and no
// report — never a partial "clean".
func TestE2EClusterFaults(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ns := kc.Namespace(t, "faults")
	const pods = 9
	nakedPods(t, kc, ns, pods)
	complete := func(t *testing.T, code int, r clusterReport, stderr string) {
		t.Helper()
		if code != ExitFindings {
			t.Fatalf("exit %d, want %d; stderr: %s", code, ExitFindings, stderr)
		}
		if n, _ := r.count("unmanaged-instance"); n != pods {
			t.Errorf("%d unmanaged-instance findings, want %d: a page was lost", n, pods)
		}
	}

	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		server := "https://" + closedPort(t)
		code, r, stderr := runClusterJSON(t, "--kubeconfig", kubeconfigFor(t, server, "x", ""), "-A")
		if code != ExitCouldNotCheck || !strings.Contains(stderr, "cannot reach the Kubernetes API server at "+server) {
			t.Errorf("exit %d, stderr %q; want exit 3 naming %s", code, stderr, server)
		}
		if len(r.Findings) != 0 {
			t.Errorf("a report was written: %+v", r)
		}
	})

	t.Run("429 and 5xx retried", func(t *testing.T) {
		t.Parallel()
		seq := []faultAction{{status: 429}, {status: 500}, {status: 502}, {status: 503}, {status: 429, retryAfter: "1"}}
		p := newFaultProxy(t, kc, func(r *http.Request) faultAction {
			if !midList(r, ns) || len(seq) == 0 {
				return faultAction{}
			}
			a := seq[0]
			seq = seq[1:]
			return a
		})
		code, r, stderr := runClusterJSON(t, "--kubeconfig", kubeconfigFor(t, "http://"+p.addr, "", ""), "-n", ns, "--chunk-size", "2")
		complete(t, code, r, stderr)
		if p.injected != 5 {
			t.Errorf("%d faults injected, want 5", p.injected)
		}
	})

	t.Run("restart midway", func(t *testing.T) {
		t.Parallel()
		done := false
		p := newFaultProxy(t, kc, func(r *http.Request) faultAction {
			if done || !midList(r, ns) {
				return faultAction{}
			}
			done = true
			return faultAction{down: 2 * time.Second}
		})
		start := time.Now()
		code, r, stderr := runClusterJSON(t, "--kubeconfig", kubeconfigFor(t, "http://"+p.addr, "", ""), "-n", ns, "--chunk-size", "2")
		complete(t, code, r, stderr)
		if p.restarts != 1 || time.Since(start) < 2*time.Second {
			t.Errorf("%d restarts, run took %v: the restart did not happen mid-run", p.restarts, time.Since(start))
		}
	})

	t.Run("stops answering midway", func(t *testing.T) {
		t.Parallel()
		broken := false
		p := newFaultProxy(t, kc, func(r *http.Request) faultAction {
			broken = broken || midList(r, ns)
			if broken {
				return faultAction{hangup: true}
			}
			return faultAction{}
		})
		code, r, stderr := runClusterJSON(t, "--kubeconfig", kubeconfigFor(t, "http://"+p.addr, "", ""), "-n", ns, "--chunk-size", "2")
		if code != ExitCouldNotCheck {
			t.Errorf("exit %d, want %d; stderr: %s", code, ExitCouldNotCheck, stderr)
		}
		if len(r.Findings) != 0 || r.Summary.Files != 0 {
			t.Errorf("a partial report was written: %+v", r)
		}
		if !strings.Contains(stderr, "list ") || !strings.Contains(stderr, p.addr) {
			t.Errorf("stderr does not say what failed where: %s", stderr)
		}
	})
}
