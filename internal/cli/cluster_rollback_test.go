package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/registry"
	"github.com/immutcheck/immutcheck/rules"
)

// TestCheckRollbackImages resolves the images of previous revisions in an
// in-memory registry: present ones pass, a missing one is
// rollback-image-missing, an unreachable registry and an unreadable
// revision are image-check-failed.
func TestCheckRollbackImages(t *testing.T) {
	t.Parallel()
	s := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	host := strings.TrimPrefix(s.URL, "http://")
	pushImage(t, host+"/app:1")
	pushImage(t, host+"/app:3")
	const dead = "127.0.0.1:1"

	snap := &cluster.Snapshot{
		Deployments: []appsv1.Deployment{{ObjectMeta: rollbackMeta("web", "", nil)}},
		ReplicaSets: []appsv1.ReplicaSet{
			rollbackRS("web-1", "1", host+"/app:1"),
			rollbackRS("web-2", "2", host+"/app:2"), // never pushed
			rollbackRS("web-3", "3", host+"/app:3"), // current
		},
		StatefulSets: []appsv1.StatefulSet{{ObjectMeta: rollbackMeta("db", "", nil)}},
		ControllerRevisions: []appsv1.ControllerRevision{
			rollbackCR(t, "db-a", 1, dead+"/db:1"),
			rollbackCR(t, "db-b", 2, ""),
			rollbackCR(t, "db-c", 3, host+"/db:3"), // current
		},
	}
	o, err := newRollbackOptions(&config.Config{}, registryFlags{Insecure: []string{host, dead}}, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	lim := registry.DefaultLimits()
	lim.Retries, lim.RequestTimeout = 0, 5*time.Second
	o.Client.Limits = lim
	var got []string
	for _, f := range rollbackFindings(t, context.Background(), snap, o) {
		got = append(got, f.Rule.ID+" | "+f.Subject+" | "+f.Location.File+" | "+f.Object.Kind+"/"+f.Object.Name)
		if f.Rule.ID == "rollback-image-missing" && !strings.Contains(f.Message, "ReplicaSet web-2: previous release "+host+"/app:2 is gone") {
			t.Errorf("message: %s", f.Message)
		}
	}
	slices.Sort(got)
	want := []string{
		"image-check-failed | StatefulSet/shop/db revision 1 container app | cluster/shop/statefulset/db | StatefulSet/db",
		"image-check-failed | StatefulSet/shop/db revision 2 | cluster/shop/statefulset/db | StatefulSet/db",
		"rollback-image-missing | Deployment/shop/web revision 2 container app | cluster/shop/deployment/web | Deployment/web",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	off := o
	off.Registry = false
	if fs := rollbackFindings(t, context.Background(), snap, off); len(fs) != 0 {
		t.Errorf("registry off: %d findings", len(fs))
	}
}

// TestCheckRollbackImagesSigned: with trust material, a previous image
// that resolves but is not signed is rollback-image-missing too.
func TestCheckRollbackImagesSigned(t *testing.T) {
	t.Parallel()
	s := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	host := strings.TrimPrefix(s.URL, "http://")
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	key := writeFile(t, t.TempDir(), "cosign.pub", string(pub))
	signImage(t, host+"/app", pushImage(t, host+"/app:1"), priv)
	pushImage(t, host+"/app:2") // unsigned
	pushImage(t, host+"/app:3")
	snap := &cluster.Snapshot{
		Deployments: []appsv1.Deployment{{ObjectMeta: rollbackMeta("web", "", nil)}},
		ReplicaSets: []appsv1.ReplicaSet{
			rollbackRS("web-1", "1", host+"/app:1"),
			rollbackRS("web-2", "2", host+"/app:2"),
			rollbackRS("web-3", "3", host+"/app:3"),
		},
	}
	o, err := newRollbackOptions(&config.Config{}, registryFlags{Keys: []string{key}, Insecure: []string{host}}, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rollbackFindings(t, context.Background(), snap, o) {
		got = append(got, f.Rule.ID+" | "+f.Subject)
		if !strings.Contains(f.Message, "no longer passes the signature policy") {
			t.Errorf("message: %s", f.Message)
		}
	}
	if diff := cmp.Diff([]string{"rollback-image-missing | Deployment/shop/web revision 2 container app"}, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestNewRollbackOptions(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{}
	cfg.Registry.PreviousRevisions = 4
	o, err := newRollbackOptions(cfg, registryFlags{}, true, 0)
	if err != nil || o.Revisions != 4 {
		t.Errorf("policy's previous-revisions: %+v, %v", o, err)
	}
	if o, err := newRollbackOptions(&config.Config{}, registryFlags{}, true, 0); err != nil || o.Revisions != defaultRollbackRevisions {
		t.Errorf("default: %+v, %v", o, err)
	}
	if _, err := newRollbackOptions(cfg, registryFlags{Identity: "me"}, true, 0); err == nil {
		t.Error("identity without issuer accepted")
	}
	if _, err := newRollbackOptions(cfg, registryFlags{Keys: []string{"/nonexistent/cosign.pub"}}, true, 0); err != nil {
		t.Errorf("keys are read when checking, not here: %v", err)
	}
}

func rollbackMeta(name, uid string, owner *metav1.OwnerReference) metav1.ObjectMeta {
	if uid == "" {
		uid = "uid-" + name
	}
	m := metav1.ObjectMeta{Name: name, Namespace: "shop", UID: types.UID(uid)}
	if owner != nil {
		m.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	return m
}

func rollbackOwner(kind, name string) *metav1.OwnerReference {
	yes := true
	return &metav1.OwnerReference{APIVersion: "apps/v1", Kind: kind, Name: name, UID: types.UID("uid-" + name), Controller: &yes}
}

func rollbackRS(name, rev, image string) appsv1.ReplicaSet {
	rs := appsv1.ReplicaSet{ObjectMeta: rollbackMeta(name, "", rollbackOwner("Deployment", "web"))}
	rs.Annotations = map[string]string{"deployment.kubernetes.io/revision": rev}
	rs.Spec.Template.Spec.Containers = []corev1.Container{{Name: "app", Image: image}}
	return rs
}

// rollbackCR is a StatefulSet revision of db; an empty image makes data
// that does not decode.
func rollbackCR(t *testing.T, name string, n int64, image string) appsv1.ControllerRevision {
	cr := appsv1.ControllerRevision{ObjectMeta: rollbackMeta(name, "", rollbackOwner("StatefulSet", "db")), Revision: n}
	cr.Data = runtime.RawExtension{Raw: []byte("{")}
	if image != "" {
		raw, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{
			"$patch": "replace", "spec": map[string]any{"containers": []any{map[string]any{"name": "app", "image": image}}}}}})
		if err != nil {
			t.Fatal(err)
		}
		cr.Data.Raw = raw
	}
	return cr
}

// rollbackFindings judges what checkRollbackImages returns with the
// default catalog, as the cluster command does.
func rollbackFindings(t *testing.T, ctx context.Context, s *cluster.Snapshot, o rollbackOptions) []rules.Finding {
	t.Helper()
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	imgs, problems := checkRollbackImages(ctx, s, o)
	return ev.Evaluate(&model.File{Path: "cluster", Images: imgs, Problems: problems})
}
