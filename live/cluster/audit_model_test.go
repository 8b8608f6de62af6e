package cluster

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

// TestAuditLogInstances checks the model ReadAuditLog returns: one
// instance per pod as the log names it (a UID makes another one), each
// with its sessions in order.
func TestAuditLogInstances(t *testing.T) {
	t.Parallel()
	debug := event(`"a1"`, `"a3"`, `"exec"`, `"ephemeralcontainers"`, `"create"`, `"patch"`, `"name":"p"`, `"name":"p","uid":"u1"`)
	in := event() + event(`"a1"`, `"a2"`, `command=id`, `command=sh&command=-c&command=echo hi&container=web`) + debug
	ins, err := ReadAuditLog(context.Background(), "audit.log", strings.NewReader(in), AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 2 {
		t.Fatalf("%d instances, want 2: %+v", len(ins), ins)
	}
	p, pu := ins[0], ins[1]
	if p.Kind != "Pod" || p.Subject != "Pod/ns/p" || p.Object.UID != "" || p.Location.File != "cluster/ns/pod/p" || pu.Object.UID != "u1" {
		t.Errorf("instances %+v, %+v", p, pu)
	}
	at := p.Sessions[0].Time
	want := []model.Session{
		{Kind: "exec", Verb: "create", User: "admin", Command: "id", Response: 101, Time: at, Source: "audit log", Location: model.Location{File: "audit.log", Line: 1}},
		{Kind: "exec", Verb: "create", User: "admin", Container: "web", Command: `sh -c "echo hi"`, Response: 101, Time: at, Source: "audit log",
			Location: model.Location{File: "audit.log", Line: 2}},
	}
	if diff := cmp.Diff(want, p.Sessions); diff != "" {
		t.Errorf("sessions (-want +got):\n%s", diff)
	}
	if d := pu.Sessions; len(d) != 1 || d[0].Kind != "debug" || d[0].Verb != "patch" || d[0].Location.Line != 3 {
		t.Errorf("debug sessions %+v", d)
	}
}
