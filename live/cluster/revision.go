package cluster

import (
	"encoding/json"
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// maxRevisionBytes bounds the data of one ControllerRevision read back
// from the API server (which itself stores objects of at most 1.5 MiB by
// default; etcd's limit is a little larger).
const maxRevisionBytes = 3 << 20

// revisionTemplate decodes the pod template a StatefulSet or DaemonSet
// ControllerRevision records.
//
// Both controllers store, as the revision's data, a strategic merge patch
// that replaces the whole template (pkg/controller/daemon's getPatch and
// pkg/controller/statefulset's getPatch in kubernetes):
//
//	{"spec":{"template":{"$patch":"replace","metadata":{...},"spec":{...}}}}
//
// Applied to any workload it yields the recorded template, so the template
// is simply the patch's spec.template; the "$patch" directive is ignored.
func revisionTemplate(cr *appsv1.ControllerRevision) (*corev1.PodTemplateSpec, error) {
	raw := cr.Data.Raw
	if len(raw) == 0 && cr.Data.Object != nil {
		b, err := json.Marshal(cr.Data.Object)
		if err != nil {
			return nil, fmt.Errorf("controller revision %s: encode data: %w", cr.Name, err)
		}
		raw = b
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("controller revision %s: no data", cr.Name)
	}
	if len(raw) > maxRevisionBytes {
		return nil, fmt.Errorf("controller revision %s: data of %d bytes is over the limit of %d", cr.Name, len(raw), maxRevisionBytes)
	}
	var patch struct {
		Spec *struct {
			Template *corev1.PodTemplateSpec `json:"template"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(raw, &patch); err != nil {
		return nil, fmt.Errorf("controller revision %s: decode data: %w", cr.Name, err)
	}
	if patch.Spec == nil || patch.Spec.Template == nil {
		return nil, fmt.Errorf("controller revision %s: %w", cr.Name, errNoTemplate)
	}
	return patch.Spec.Template, nil
}

// errNoTemplate: a revision's data holds no spec.template.
var errNoTemplate = errors.New("data holds no spec.template")
