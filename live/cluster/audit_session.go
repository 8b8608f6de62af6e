package cluster

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	auditv1 "k8s.io/apiserver/pkg/apis/audit/v1"

	"github.com/immutcheck/immutcheck/model"
)

// session is one interactive request on a pod: the stages of one audit ID.
type session struct {
	line      int // line of the first stage seen
	verb      string
	sub       string // exec, attach or ephemeralcontainers
	namespace string
	pod       string
	uid       string // of the pod, when the event says
	container string
	command   []string
	user      string
	as        string // impersonated user
	start     time.Time
	code      int32 // response code of the latest stage; 0 when none
}

// sessions collects the interactive sessions of one audit log in the order
// they first appear.
type sessions struct {
	path string
	opts AuditOptions
	byID map[string]*session
	list []*session
}

func newSessions(path string, opts AuditOptions) *sessions {
	return &sessions{path: path, opts: opts, byID: map[string]*session{}}
}

// add records ev, read from line, when it is a stage of an interactive
// request the options select. A relevant event without an audit ID or
// pod is an error.
func (s *sessions) add(ev *auditv1.Event, line int) error {
	sub, ok := interactive(ev.Stage, ev.Verb, ev.ObjectRef)
	if !ok {
		return nil
	}
	if ev.AuditID == "" {
		return errors.New("pods/" + sub + " event without auditID")
	}
	ref := ev.ObjectRef
	if ref.Namespace == "" || ref.Name == "" {
		return fmt.Errorf("pods/%s event %s without pod namespace and name", sub, clip(string(ev.AuditID)))
	}
	if s.opts.Namespace != "" && ref.Namespace != s.opts.Namespace {
		return nil
	}
	id := string(ev.AuditID)
	ss, seen := s.byID[id]
	if !seen {
		ss = newSession(ev, sub, line)
		if !s.opts.Since.IsZero() && ss.start.Before(s.opts.Since) {
			// Remember it anyway so that its later stages are dropped too.
			s.byID[id] = nil
			return nil
		}
		s.byID[id] = ss
		s.list = append(s.list, ss)
	}
	if ss != nil && ev.ResponseStatus != nil && ev.ResponseStatus.Code != 0 {
		ss.code = ev.ResponseStatus.Code
	}
	return nil
}

// interactive reports whether an event is a stage (after RequestReceived) of a
// request that opens a session in a pod, and which subresource it is on.
// Reading a pod's ephemeral containers is not a session; adding one is.
func interactive(stage auditv1.Stage, verb string, ref *auditv1.ObjectReference) (string, bool) {
	if ref == nil || ref.APIGroup != "" || ref.Resource != "pods" || stage == auditv1.StageRequestReceived {
		return "", false
	}
	switch ref.Subresource {
	case "exec", "attach":
		return ref.Subresource, true
	case "ephemeralcontainers":
		return ref.Subresource, verb == "patch" || verb == "update"
	}
	return "", false
}

func newSession(ev *auditv1.Event, sub string, line int) *session {
	ss := &session{
		line: line, verb: ev.Verb, sub: sub,
		namespace: ev.ObjectRef.Namespace, pod: ev.ObjectRef.Name, uid: string(ev.ObjectRef.UID),
		user: ev.User.Username,
	}
	if ev.ImpersonatedUser != nil {
		ss.as = ev.ImpersonatedUser.Username
	}
	ss.start = ev.RequestReceivedTimestamp.Time
	if ss.start.IsZero() {
		ss.start = ev.StageTimestamp.Time
	}
	// The query of an exec request carries the command, one argument per
	// "command" parameter, and the container.
	if u, err := url.ParseRequestURI(ev.RequestURI); err == nil {
		q := u.Query()
		ss.command = q["command"]
		ss.container = q.Get("container")
	}
	return ss
}

// instances returns the pods of the sessions, one per namespace, name
// and UID, each with its sessions in the order they first appear.
func (s *sessions) instances() []*model.Instance {
	var out []*model.Instance
	byPod := map[[3]string]*model.Instance{}
	for _, ss := range s.list {
		k := [3]string{ss.namespace, ss.pod, ss.uid}
		in := byPod[k]
		if in == nil {
			obj := &model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: ss.namespace, Name: ss.pod, UID: ss.uid}
			in = &model.Instance{Kind: "Pod", Subject: "Pod/" + ss.namespace + "/" + ss.pod, Object: obj, Location: obj.Location()}
			byPod[k] = in
			out = append(out, in)
		}
		in.Sessions = append(in.Sessions, ss.session(s.path))
	}
	return out
}

// session is the model of the session, read from the log at path.
func (ss *session) session(path string) model.Session {
	m := model.Session{Kind: ss.sub, Verb: ss.verb, User: ss.user, As: ss.as, Container: ss.container, Time: ss.start,
		Response: int(ss.code), Source: "audit log", Location: model.Location{File: path, Line: ss.line}}
	if ss.sub == "ephemeralcontainers" {
		m.Kind = "debug"
	}
	if len(ss.command) > 0 {
		m.Command = commandLine(ss.command)
	}
	return m
}

// maxCommand bounds the command shown in a message.
const maxCommand = 256

// commandLine joins a command's arguments for display, quoting those that
// are empty or hold spaces, quotes or control characters, and shortens it
// to maxCommand bytes.
func commandLine(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a == "" || !utf8.ValidString(a) || strings.ContainsFunc(a, needsQuote) {
			b.WriteString(strconv.Quote(a))
		} else {
			b.WriteString(a)
		}
		if b.Len() > maxCommand {
			break
		}
	}
	s := b.String()
	if len(s) > maxCommand {
		s = strings.ToValidUTF8(s[:maxCommand], "") + "..."
	}
	return s
}

func needsQuote(r rune) bool {
	return r <= ' ' || r == '"' || r == '\'' || r == '\\' || r == 0x7f || !strconv.IsPrint(r)
}
