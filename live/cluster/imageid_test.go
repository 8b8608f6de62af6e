package cluster

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/immutcheck/immutcheck/model"
)

func TestParseImageID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want model.ImageID
	}{
		{"docker.io/library/nginx@" + digestA, model.ImageID{Digest: digestA}},
		{"docker-pullable://nginx@" + digestA, model.ImageID{Digest: digestA}},
		{"reg.example:5000/a/b@" + digestB, model.ImageID{Digest: digestB}},
		{digestA, model.ImageID{Digest: digestA, Config: true}},
		{"docker://" + digestA, model.ImageID{Digest: digestA, Config: true}},
		{"", model.ImageID{}},
		{"nginx:1.25", model.ImageID{}},
		{"nginx@sha256:abc", model.ImageID{}},
		{"nginx@sha512:" + strings.Repeat("a", 128), model.ImageID{}},
		{"nginx@sha256:" + strings.Repeat("A", 64), model.ImageID{}},
	}
	// The status imageID forms the runtimes write (see runningContainers),
	// read by the one parser.
	for _, tt := range tests {
		if got := model.ParseImageID(tt.in); got != tt.want {
			t.Errorf("parseImageID(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// A DaemonSet revision as kube-controller-manager v1.31 writes it.
const daemonSetRevision = `{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,"labels":{"app":"agent"}},` +
	`"spec":{"containers":[{"image":"reg.example/agent:2","imagePullPolicy":"IfNotPresent","name":"agent","resources":{}}],` +
	`"initContainers":[{"image":"busybox:1","name":"init"}],"restartPolicy":"Always","terminationGracePeriodSeconds":30}}}}`

func TestRevisionTemplate(t *testing.T) {
	t.Parallel()
	cr := &appsv1.ControllerRevision{Data: runtime.RawExtension{Raw: []byte(daemonSetRevision)}}
	tmpl, err := revisionTemplate(cr)
	if err != nil {
		t.Fatal(err)
	}
	if got := tmpl.Spec.Containers[0].Image; got != "reg.example/agent:2" {
		t.Errorf("container image %q", got)
	}
	if got := tmpl.Spec.InitContainers[0].Image; got != "busybox:1" {
		t.Errorf("init container image %q", got)
	}
	for _, bad := range []string{"", "{}", `{"spec":{}}`, `{"spec":{"template":"x"}}`, "[", strings.Repeat(" ", maxRevisionBytes+1)} {
		cr := &appsv1.ControllerRevision{Data: runtime.RawExtension{Raw: []byte(bad)}}
		if _, err := revisionTemplate(cr); err == nil {
			t.Errorf("revisionTemplate(%.20q) succeeded", bad)
		}
	}
}

func FuzzParseImageID(f *testing.F) {
	for _, s := range []string{"docker-pullable://nginx@" + digestA, digestA, "a@b@" + digestA, "://", "@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := model.ParseImageID(s)
		if id.Digest != "" && !model.ValidDigest(id.Digest) {
			t.Fatalf("parseImageID(%q) = %+v", s, id)
		}
	})
}

func FuzzRevisionTemplate(f *testing.F) {
	for _, s := range []string{daemonSetRevision, `{"spec":{"template":null}}`, `{"spec":{"template":{"spec":{"containers":[{}]}}}}`, "\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cr := &appsv1.ControllerRevision{Data: runtime.RawExtension{Raw: b}}
		tmpl, err := revisionTemplate(cr)
		if err == nil && tmpl == nil {
			t.Fatal("no template and no error")
		}
	})
}
