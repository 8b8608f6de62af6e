package cluster

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"
	"sigs.k8s.io/json"

	"github.com/immutcheck/immutcheck/model"
)

// DefaultMaxAuditLine is the longest audit log line ReadAuditLog accepts
// unless AuditOptions says otherwise. Events at the Metadata level are a
// few hundred bytes; RequestResponse events of large objects reach a few
// hundred kilobytes.
const DefaultMaxAuditLine = 1 << 20

// AuditOptions select the audit events ReadAuditLog reports.
type AuditOptions struct {
	// Since, when not zero, drops sessions that started before it.
	Since time.Time
	// Namespace, when not empty, keeps only sessions in pods of that
	// namespace.
	Namespace string
	// MaxLineBytes bounds the length of one line (one event); a longer line
	// is an error. Zero means DefaultMaxAuditLine.
	MaxLineBytes int
}

// gzipMagic starts every gzip stream (RFC 1952, section 2.3.1).
var gzipMagic = []byte{0x1f, 0x8b}

// ReadAuditLog reads a Kubernetes API server audit log — JSON lines of
// audit.k8s.io/v1 Events as written by --audit-log-format=json, plain or
// gzip-compressed (a rotated log) — from r, and returns the pods it names
// as instances, each with one session per request on pods/exec,
// pods/attach, or a change of pods/ephemeralcontainers, in the order they
// first appear (exec-session reports them). path names r in the sessions'
// locations and in errors.
//
// An instance is the pod as the log names it (namespace, name, and UID
// when the event gives one): it may be gone by now, or be another pod of
// the same name than the one a snapshot lists.
//
// The stages of one request (ResponseStarted, ResponseComplete, Panic)
// share an audit ID and are one session; RequestReceived events are
// ignored. Denied requests are reported too: an attempt is worth knowing.
//
// A line that is too long, not JSON, or not an audit.k8s.io/v1 Event is an
// error naming path and line: the log was not fully checked, so no
// sessions are returned.
func ReadAuditLog(ctx context.Context, path string, r io.Reader, opts AuditOptions) ([]*model.Instance, error) {
	max := opts.MaxLineBytes
	if max == 0 {
		max = DefaultMaxAuditLine
	}
	if max < 0 {
		return nil, fmt.Errorf("read audit log %s: invalid maximum line length %d", path, max)
	}
	in, err := decompress(bufio.NewReader(r))
	if err != nil {
		return nil, fmt.Errorf("read audit log %s: %w", path, err)
	}
	sc := bufio.NewScanner(in)
	// One more byte than the limit so that a line of exactly max bytes
	// followed by its newline still fits.
	sc.Buffer(make([]byte, 0, min(max+1, 64<<10)), max+1)
	s := newSessions(path, opts)
	line := 0
	for sc.Scan() {
		line++
		if line%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("read audit log %s: %w", path, err)
			}
		}
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(b) > max {
			return nil, fmt.Errorf("%s:%d: %w", path, line, &LineTooLongError{Max: max})
		}
		ev, err := decodeEvent(b)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if ev == nil {
			continue
		}
		if err := s.add(ev, line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%s:%d: %w", path, line+1, &LineTooLongError{Max: max})
		}
		return nil, fmt.Errorf("read audit log %s: line %d: %w", path, line+1, err)
	}
	return s.instances(), nil
}

// LineTooLongError is returned for an audit log line longer than the
// configured maximum.
type LineTooLongError struct {
	// Max is the limit in bytes.
	Max int
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("line longer than %d bytes", e.Max)
}

// decompress returns r itself, or a gzip reader when r starts with the gzip
// magic number. Concatenated gzip members (as logrotate may leave) are read
// as one stream.
func decompress(r *bufio.Reader) (io.Reader, error) {
	head, err := r.Peek(len(gzipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !bytes.Equal(head, gzipMagic) {
		return r, nil
	}
	z, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return gzipReader{z}, nil
}

// gzipReader names gzip in the errors of a corrupt or truncated stream.
type gzipReader struct{ z *gzip.Reader }

func (g gzipReader) Read(p []byte) (int, error) {
	n, err := g.z.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("gzip: %w", err)
	}
	return n, err
}

// eventHead is the part of an Event that says whether it is interesting.
// Decoding it first skips the allocations of a full Event for the many
// events of a verbose audit policy that are not sessions.
type eventHead struct {
	APIVersion string                   `json:"apiVersion"`
	Kind       string                   `json:"kind"`
	Stage      auditv1.Stage            `json:"stage"`
	Verb       string                   `json:"verb"`
	ObjectRef  *auditv1.ObjectReference `json:"objectRef"`
}

// decodeEvent parses one line as an audit.k8s.io/v1 Event. It returns nil
// for a valid event that opens no session. Field names are matched
// case-sensitively, as the API machinery does; unknown fields (from newer
// API servers) are allowed.
func decodeEvent(b []byte) (*auditv1.Event, error) {
	if b[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var head eventHead
	if err := json.UnmarshalCaseSensitivePreserveInts(b, &head); err != nil {
		return nil, fmt.Errorf("parse audit event: %w", err)
	}
	gv := auditv1.SchemeGroupVersion.String()
	if head.APIVersion != gv || head.Kind != "Event" {
		return nil, fmt.Errorf("not an audit event: apiVersion %q, kind %q (want %s Event)",
			clip(head.APIVersion), clip(head.Kind), gv)
	}
	if _, ok := interactive(head.Stage, head.Verb, head.ObjectRef); !ok {
		return nil, nil
	}
	ev := &auditv1.Event{}
	if err := json.UnmarshalCaseSensitivePreserveInts(b, ev); err != nil {
		return nil, fmt.Errorf("parse audit event: %w", err)
	}
	return ev, nil
}

// clip shortens an attacker-controlled value quoted in an error message.
func clip(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
