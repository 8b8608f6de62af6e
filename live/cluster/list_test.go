package cluster

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
)

// fixture is a small cluster: pods in two namespaces (some labelled
// app=web), one object of every other collection, two nodes. Every
// object carries managed fields and a last-applied annotation.
func listFixture(pods int) []runtime.Object {
	meta := func(ns, n string, l map[string]string) metav1.ObjectMeta {
		return metav1.ObjectMeta{
			Namespace: ns, Name: n, Labels: l, UID: types.UID("uid-" + ns + "-" + n),
			Annotations:   map[string]string{lastApplied: `{"big":"copy"}`, "keep": "me"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl", Operation: metav1.ManagedFieldsOperationApply}},
		}
	}
	web := map[string]string{"app": "web"}
	var objs []runtime.Object
	for i := range pods {
		ns, l := "shop", web
		if i%3 == 0 {
			ns, l = "data", map[string]string{"app": "db"}
		}
		objs = append(objs, &corev1.Pod{ObjectMeta: meta(ns, listName("pod", i), l)})
	}
	objs = append(objs,
		&appsv1.ReplicaSet{ObjectMeta: meta("shop", "web-1", web)},
		&appsv1.Deployment{ObjectMeta: meta("shop", "web", web)},
		&appsv1.StatefulSet{ObjectMeta: meta("data", "db", nil)},
		&appsv1.DaemonSet{ObjectMeta: meta("shop", "agent", web)},
		&batchv1.Job{ObjectMeta: meta("shop", "once", web)},
		&batchv1.CronJob{ObjectMeta: meta("shop", "nightly", web)},
		&appsv1.ControllerRevision{ObjectMeta: meta("data", "db-1", nil)},
		&corev1.Node{ObjectMeta: meta("", "n1", nil)},
		&corev1.Node{ObjectMeta: meta("", "n2", nil)},
	)
	return objs
}

// counts is how many objects of each collection a snapshot holds.
func listCounts(s *Snapshot) map[string]int {
	return map[string]int{
		"pods": len(s.Pods), "replicasets": len(s.ReplicaSets), "deployments": len(s.Deployments),
		"statefulsets": len(s.StatefulSets), "daemonsets": len(s.DaemonSets), "jobs": len(s.Jobs),
		"cronjobs": len(s.CronJobs), "controllerrevisions": len(s.ControllerRevisions), "nodes": len(s.Nodes),
	}
}

func TestListPages(t *testing.T) {
	t.Parallel()
	p := &listPager{}
	c := newListFake(t, p, listFixture(1234)...)
	var last map[string]int
	s, err := List(context.Background(), c, Scope{Limit: 100, Progress: func(r string, n int) {
		if last == nil {
			last = map[string]int{}
		}
		if n < last[r] {
			t.Errorf("progress of %s went back from %d to %d", r, last[r], n)
		}
		last[r] = n
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"pods": 1234, "replicasets": 1, "deployments": 1, "statefulsets": 1, "daemonsets": 1,
		"jobs": 1, "cronjobs": 1, "controllerrevisions": 1, "nodes": 2}
	if d := cmp.Diff(want, listCounts(s)); d != "" {
		t.Errorf("objects listed (-want +got):\n%s", d)
	}
	if got := p.count("pods"); got != 13 {
		t.Errorf("pods listed in %d requests, want 13 pages of 100", got)
	}
	if last["pods"] != 1234 {
		t.Errorf("last progress of pods = %d, want 1234", last["pods"])
	}
	seen := map[string]bool{}
	for _, pod := range s.Pods {
		if seen[pod.Name] {
			t.Errorf("pod %s listed twice", pod.Name)
		}
		seen[pod.Name] = true
		if pod.ManagedFields != nil || pod.Annotations[lastApplied] != "" {
			t.Fatalf("pod %s not stripped: %v %v", pod.Name, pod.ManagedFields, pod.Annotations)
		}
		if pod.Annotations["keep"] != "me" {
			t.Fatalf("pod %s lost its other annotations", pod.Name)
		}
	}
	if s.Nodes[0].ManagedFields != nil || s.Deployments[0].ManagedFields != nil {
		t.Error("nodes or deployments not stripped")
	}
	if len(s.Unread) != 0 || s.Started.IsZero() {
		t.Errorf("Unread = %v, Started = %v", s.Unread, s.Started)
	}
}

func TestListScope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		scope Scope
		want  map[string]int
	}{
		{"namespace", Scope{Namespace: "data"}, map[string]int{"pods": 4, "statefulsets": 1, "controllerrevisions": 1, "nodes": 2}},
		{"selector", Scope{LabelSelector: "app=web", Limit: 2}, map[string]int{"pods": 6, "replicasets": 1, "deployments": 1,
			"daemonsets": 1, "jobs": 1, "cronjobs": 1, "controllerrevisions": 1, "nodes": 2}},
		{"both", Scope{Namespace: "data", LabelSelector: "app=web"}, map[string]int{"controllerrevisions": 1, "nodes": 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := List(context.Background(), newListFake(t, &listPager{}, listFixture(10)...), tt.scope)
			if err != nil {
				t.Fatal(err)
			}
			got := listCounts(s)
			for k, v := range got {
				if v == 0 {
					delete(got, k)
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("objects listed (-want +got):\n%s", d)
			}
		})
	}
}

func listStatus(code int32, reason metav1.StatusReason) error {
	return &apierrors.StatusError{ErrStatus: metav1.Status{Status: metav1.StatusFailure, Code: code, Reason: reason, Message: string(reason)}}
}

var listRefused = &url.Error{Op: "Get", URL: "https://127.0.0.1:1/api/v1/pods", Err: &net.OpError{Op: "dial", Net: "tcp",
	Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}}

// TestListFaults injects API errors into the pods list (after a first
// page when after is set) and checks the outcome.
func TestListFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		err      error
		times    int  // failures before success; 0: always
		midway   bool // fail from the second page on
		every    bool // fail every collection, not only pods
		wantErr  error
		wantPods int
		minCalls int
	}{
		{name: "500 retried", err: listStatus(500, metav1.StatusReasonInternalError), times: 3, wantPods: 25, minCalls: 3 + 5},
		{name: "503 retried", err: listStatus(503, metav1.StatusReasonServiceUnavailable), times: 2, wantPods: 25},
		{name: "429 without Retry-After retried", err: listStatus(429, metav1.StatusReasonTooManyRequests), times: 2, wantPods: 25},
		{name: "504 server timeout retried", err: listStatus(504, metav1.StatusReasonTimeout), times: 1, wantPods: 25},
		{name: "500 forever fails", err: listStatus(500, metav1.StatusReasonInternalError), wantErr: listErrAny},
		{name: "expired continue restarts", err: apierrors.NewResourceExpired("continue token expired"), times: 1, midway: true, wantPods: 25},
		{name: "expired continue forever fails", err: apierrors.NewResourceExpired("continue token expired"), midway: true, wantErr: listErrAny},
		{name: "unauthorized fails", err: apierrors.NewUnauthorized("who are you"), wantErr: listErrAny, minCalls: 1},
		{name: "listRefused at start fails at once", err: listRefused, every: true, wantErr: ErrUnreachable, minCalls: 1},
		{name: "listRefused midway retried", err: listRefused, times: 2, midway: true, wantPods: 25},
		{name: "listRefused midway forever fails", err: listRefused, midway: true, wantErr: ErrUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			failed := 0
			p := &listPager{fail: func(res, cont string, call int) error {
				if (res != "pods" && !tt.every) || (tt.midway && cont == "") || (tt.times > 0 && failed >= tt.times) {
					return nil
				}
				failed++
				return tt.err
			}}
			s, err := List(context.Background(), newListFake(t, p, listFixture(25)...), Scope{Limit: 5, backoff: &fastBackoff})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("List: %v", err)
			case tt.wantErr != nil && err == nil:
				t.Fatalf("List succeeded with %d pods, want an error", len(s.Pods))
			case tt.wantErr != nil && tt.wantErr != listErrAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("List: %v, want %v", err, tt.wantErr)
			case tt.wantErr != nil:
				if s != nil {
					t.Error("a failed List returned a snapshot")
				}
			default:
				if len(s.Pods) != tt.wantPods {
					t.Errorf("%d pods, want %d", len(s.Pods), tt.wantPods)
				}
			}
			if tt.minCalls > 0 && tt.wantErr != nil && p.count("pods") != tt.minCalls {
				t.Errorf("pods requested %d times, want %d (no retry)", p.count("pods"), tt.minCalls)
			}
			if tt.minCalls > 0 && tt.wantErr == nil && p.count("pods") < tt.minCalls {
				t.Errorf("pods requested %d times, want at least %d", p.count("pods"), tt.minCalls)
			}
		})
	}
}

// listErrAny stands for "some error" in the table above.
var listErrAny = errors.New("any error")

func TestListUnread(t *testing.T) {
	t.Parallel()
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "controllerrevisions"}, "", errors.New("RBAC"))
	notFound := apierrors.NewNotFound(schema.GroupResource{Group: "batch", Resource: "cronjobs"}, "")
	p := &listPager{fail: func(res, _ string, _ int) error {
		switch res {
		case "controllerrevisions":
			return forbidden
		case "cronjobs":
			return notFound
		}
		return nil
	}}
	s, err := List(context.Background(), newListFake(t, p, listFixture(7)...), Scope{Namespace: "shop"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range s.Unread {
		got[u.Resource] = u.Namespace
		if u.Err == nil {
			t.Errorf("unread %s has no error", u.Resource)
		}
	}
	if d := cmp.Diff(map[string]string{"controllerrevisions": "shop", "cronjobs": "shop"}, got); d != "" {
		t.Errorf("Unread (-want +got):\n%s", d)
	}
	if len(s.Pods) != 4 || len(s.Nodes) != 2 {
		t.Errorf("%d pods, %d nodes; the other collections must still be listed", len(s.Pods), len(s.Nodes))
	}
	if p.count("controllerrevisions") != 1 {
		t.Errorf("a forbidden list was retried")
	}
}
