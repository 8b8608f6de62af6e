package rules

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// execSession reports every interactive session opened in an instance:
// exec, attach and debug sessions the API server's audit log recorded for
// a pod, and shells started with docker exec that still run in a
// container.
func execSession(p *Pass) {
	for _, in := range p.File.Instances {
		for i := range in.Sessions {
			s := &in.Sessions[i]
			p.Instancef(in, "", s.Location, "%s", sessionText(s))
		}
	}
}

// sessionText describes a session, e.g. `exec by "admin" in container
// "web": sh -c id at 2026-01-02T03:04:05Z (response 101)`.
func sessionText(s *model.Session) string {
	var b strings.Builder
	switch {
	case s.Kind == "debug" && s.Verb != "":
		b.WriteString("debug container added (" + s.Verb + " pods/ephemeralcontainers)")
	case s.Kind == "debug":
		b.WriteString("debug container added")
	default:
		b.WriteString(s.Kind)
	}
	if s.Source != "" && s.Source != "audit log" {
		b.WriteString(" (" + s.Source + ")")
	}
	if s.User != "" || s.Source == "audit log" { // an audit event always names its user
		fmt.Fprintf(&b, " by %q", s.User)
	}
	if s.As != "" {
		fmt.Fprintf(&b, " as %q", s.As)
	}
	if s.Container != "" {
		fmt.Fprintf(&b, " in container %q", s.Container)
	}
	if s.Command != "" {
		b.WriteString(": " + s.Command)
	}
	if !s.Time.IsZero() {
		b.WriteString(" at " + s.Time.UTC().Format(time.RFC3339))
	}
	switch {
	case s.Response == http.StatusForbidden:
		b.WriteString(" (denied: 403)")
	case s.Response != 0:
		fmt.Fprintf(&b, " (response %d)", s.Response)
	}
	if s.Running {
		b.WriteString(" (still running)")
	}
	return b.String()
}
