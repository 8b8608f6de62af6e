package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// remediateTestFlags parses args into remediateOptions.
func remediateTestFlags(t *testing.T, args ...string) remediateOptions {
	t.Helper()
	var o remediateOptions
	f := pflag.NewFlagSet("cluster", pflag.ContinueOnError)
	f.SetOutput(io.Discard)
	o.addFlags(f)
	if err := f.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return o
}

func TestRemediateFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		wantErr string
	}{
		{args: nil},
		{args: []string{"--remediate", "--dry-run", "--max-evictions=3", "--eviction-timeout=10s"}},
		{args: []string{"--dry-run"}, wantErr: "--dry-run needs --remediate"},
		{args: []string{"--remediate", "--max-evictions=0"}, wantErr: "--max-evictions must be at least 1"},
		{args: []string{"--remediate", "--max-evictions-per-namespace=-1"}, wantErr: "--max-evictions-per-namespace must be at least 1"},
		{args: []string{"--remediate", "--eviction-timeout=0s"}, wantErr: "--eviction-timeout must be positive"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			o := remediateTestFlags(t, tt.args...)
			err := o.validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("validate: %v, want %q", err, tt.wantErr)
			}
			if code := exitCode(err, io.Discard); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			// remediate refuses the same flags before touching anything.
			if code := exitCode(remediate(context.Background(), fake.NewClientset(), nil, nil, o, io.Discard), io.Discard); code != ExitUsage {
				t.Errorf("remediate: exit %d, want %d", code, ExitUsage)
			}
		})
	}
	o := remediateTestFlags(t)
	if o.Evict.MaxTotal != 20 || o.Evict.MaxPerNamespace != 5 || o.Evict.Timeout.String() != "2m0s" {
		t.Errorf("defaults %+v", o.Evict)
	}
}

func TestRemediate(t *testing.T) {
	t.Parallel()
	ctrl := true
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web-1", UID: "u1", ResourceVersion: "9",
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-6f9", UID: "rs1", Controller: &ctrl}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
	naked := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "naked", UID: "u2"}, Status: corev1.PodStatus{Phase: corev1.PodRunning}}
	s := &cluster.Snapshot{Pods: []corev1.Pod{*pod, *naked}}
	findings := []rules.Finding{
		{Rule: rules.PodModifiedInPlace, Object: &model.ObjectRef{Kind: "Pod", Namespace: "shop", Name: "web-1", UID: "u1"}},
		{Rule: rules.EphemeralContainer, Object: &model.ObjectRef{Kind: "Pod", Namespace: "shop", Name: "naked", UID: "u2"}},
	}
	pods := schema.GroupResource{Resource: "pods"}
	tests := []struct {
		name     string
		args     []string
		answer   error // of the eviction subresource
		wantCode int
		wantOut  []string
		evicts   int
	}{
		{name: "off", args: nil, wantCode: ExitClean},
		{name: "dry run", args: []string{"--remediate", "--dry-run"}, wantCode: ExitClean, wantOut: []string{
			"remediation plan: 1 to evict, 1 skipped",
			"evict pod shop/web-1 (ReplicaSet web-6f9) [pod-modified-in-place]",
			"skip pod shop/naked: cannot replace: no controller [ephemeral-container]",
		}},
		{name: "evicted", args: []string{"--remediate"}, wantCode: ExitClean, evicts: 1, wantOut: []string{
			"evicted pod shop/web-1 (ReplicaSet web-6f9) [pod-modified-in-place]",
			"remediation: 1 evicted, 0 already gone, 0 skipped, 0 blocked, 0 failed",
		}},
		{name: "changed", args: []string{"--remediate"}, answer: apierrors.NewConflict(pods, "web-1", nil),
			wantCode: ExitFindings, evicts: 1, wantOut: []string{"skipped pod shop/web-1 (ReplicaSet web-6f9): changed since checked"}},
		{name: "blocked", args: []string{"--remediate", "--eviction-timeout=1ms"},
			answer: apierrors.NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0), wantCode: ExitFindings,
			wantOut: []string{"blocked pod shop/web-1 (ReplicaSet web-6f9): blocked by a PodDisruptionBudget for 1ms"}},
		{name: "forbidden", args: []string{"--remediate"}, answer: apierrors.NewForbidden(pods, "web-1", remediateTestErr("no")),
			wantCode: ExitCouldNotCheck, evicts: 1, wantOut: []string{"failed pod shop/web-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := fake.NewClientset(pod.DeepCopy(), naked.DeepCopy())
			posted := 0
			c.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
				if a.GetSubresource() != "eviction" {
					return false, nil, nil
				}
				posted++
				if _, ok := a.(k8stesting.CreateAction).GetObject().(*policyv1.Eviction); !ok {
					t.Errorf("posted %T", a.(k8stesting.CreateAction).GetObject())
				}
				return true, nil, tt.answer
			})
			var out bytes.Buffer
			err := remediate(context.Background(), c, s, findings, remediateTestFlags(t, tt.args...), &out)
			if code := exitCode(err, io.Discard); code != tt.wantCode {
				t.Errorf("exit %d (%v), want %d", code, err, tt.wantCode)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if tt.evicts > 0 && posted != tt.evicts {
				t.Errorf("%d evictions posted, want %d", posted, tt.evicts)
			}
			if tt.wantCode == ExitClean && tt.evicts == 0 && posted != 0 {
				t.Errorf("%d evictions posted, want none", posted)
			}
		})
	}
}

type remediateTestErr string

func (e remediateTestErr) Error() string { return string(e) }
