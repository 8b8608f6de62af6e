package kube_test

import (
	"fmt"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

func ExampleLoad() {
	manifest := []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          imagePullPolicyy: Always
`)
	f := kube.Load("web.yaml", manifest, kube.Options{})
	for _, w := range f.Workloads {
		for _, c := range w.Containers {
			fmt.Printf("%s %s: image %s at %v\n", w.Subject(), c.Name, c.Image.Ref, c.Image.Location)
		}
	}
	for _, p := range f.Problems {
		fmt.Printf("%v: %v\n", p.Location, p.Err)
	}
	// Output:
	// Deployment/web app: image nginx:1.27 at web.yaml:9:18
	// web.yaml:10:29: unknown field "spec.template.spec.containers[0].imagePullPolicyy"
}

func ExampleParseIgnore() {
	for _, ig := range kube.ParseIgnore("image-not-pinned,image-latest-tag: vendor image; ssh-access") {
		fmt.Printf("%v %q\n", ig.Rules, ig.Reason)
	}
	// Output:
	// [image-not-pinned image-latest-tag] "vendor image"
	// [ssh-access] ""
}

// ExampleDecode shows how the Helm and Kustomize loaders use Decode: one
// file, with the workloads of each rendered template located in it.
func ExampleDecode() {
	f := &model.File{Path: "chart", Format: "helm"}
	kube.Decode(f, "chart/templates/a.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: a:1}]}\n"), kube.Options{})
	kube.Decode(f, "chart/templates/b.yaml", []byte("---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {containers: [{name: c, image: b:1}]}\n"), kube.Options{})
	for _, w := range f.Workloads {
		fmt.Println(w.Subject(), w.Location)
	}
	// Output:
	// Pod/a chart/templates/a.yaml:1:1
	// Pod/b chart/templates/b.yaml:2:1
}
