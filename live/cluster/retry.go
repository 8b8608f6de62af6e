package cluster

import (
	"context"
	"errors"
	"net"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/apimachinery/pkg/util/wait"
)

// listBackoff is the schedule of retries of one request: 250 ms doubling to at
// most 8 s, 8 attempts, about 24 s in all — long enough for an API server
// to restart, short enough that a broken one fails the audit in time.
//
// client-go's REST client already retries (up to 10 times) a 429 or 5xx
// that carries Retry-After, and a GET whose connection was reset; it does
// not retry a 500, 502, 503 or 504 without Retry-After, a server timeout,
// or a listRefused connection. Those are retried here, around each page.
var listBackoff = wait.Backoff{Duration: 250 * time.Millisecond, Factor: 2, Jitter: 0.2, Steps: 8, Cap: 8 * time.Second}

// retry calls fn until it succeeds, fails for good, or the listBackoff is
// spent; it returns fn's last error.
func (l *lister) retry(ctx context.Context, fn func() error) error {
	b := listBackoff
	if l.scope.backoff != nil {
		b = *l.scope.backoff
	}
	for {
		err := fn()
		if err == nil {
			l.reached.Store(true)
			return nil
		}
		if b.Steps <= 1 || !l.transient(err) {
			return err
		}
		t := time.NewTimer(b.Step())
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}

// transient reports whether err may go away if the request is repeated:
// a 429 or 5xx answer, or a refused connection once the server had
// answered (it is restarting). Resets and EOFs are not: client-go has
// retried those already. Our own deadline or cancellation is not.
func (l *lister) transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		code := st.Status().Code
		return code == 429 || code >= 500 || apierrors.IsServerTimeout(err) || apierrors.IsTimeout(err)
	}
	// Before any answer, a refused connection is a wrong address or a
	// server that is down, reported at once.
	return l.reached.Load() && utilnet.IsConnectionRefused(err)
}

// unreachable reports whether err is a failure to talk to the server at
// all, rather than an answer from it.
func unreachable(err error) bool {
	if utilnet.IsConnectionRefused(err) || utilnet.IsConnectionReset(err) ||
		utilnet.IsProbableEOF(err) || utilnet.IsHTTP2ConnectionLost(err) || utilnet.IsTimeout(err) {
		return true
	}
	var ne net.Error
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &ne) || errors.As(err, &op) || errors.As(err, &dns)
}
