package kube

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	sjson "sigs.k8s.io/json"
)

// maxListDepth bounds Lists nested in Lists.
const maxListDepth = 4

// head is what every object declares, read before its kind is known.
type head struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name         string `json:"name"`
		GenerateName string `json:"generateName"`
	} `json:"metadata"`
}

func (h *head) name() string {
	if h.Metadata.Name != "" {
		return h.Metadata.Name
	}
	return h.Metadata.GenerateName
}

// subject names the object in problems, e.g. "Deployment/web".
func (h *head) subject() string {
	if n := h.name(); n != "" {
		return h.Kind + "/" + n
	}
	return h.Kind
}

// object decodes one object (a document, or an item of a List) given as
// JSON; locate returns its position.
// known, when not nil, is the head already read from the parsed tree.
func (d *decoder) object(j []byte, locate func() pos, depth int, known *head) {
	if len(j) == 0 || j[0] != '{' {
		d.reject(locate().loc(), "", errors.New("not an object: a manifest must be a mapping with apiVersion and kind"))
		return
	}
	var h head
	if known != nil {
		h = *known
	} else if err := sjson.UnmarshalCaseSensitivePreserveInts(j, &h); err != nil {
		err = typed(err, "")
		d.reject(located(err, locate()), "", fmt.Errorf("decode object: %w", err))
		return
	}
	switch {
	case h.Kind == "":
		d.reject(locate().loc(), "", errors.New("missing kind"))
		return
	case h.APIVersion == "":
		d.reject(locate().loc(), h.subject(), errors.New("missing apiVersion"))
		return
	}
	if strings.HasSuffix(h.Kind, "List") && d.list(j, &h, locate, depth) {
		return
	}
	group, version := splitAPIVersion(h.APIVersion)
	k := lookupKind(group, h.Kind)
	if k == nil {
		return // valid input that declares no workload
	}
	o := &obj{d: d, head: &h, locate: locate, strict: version == k.version && group == k.group}
	k.load(o, j)
}

// list decodes the items of a List kind (v1 List or any FooList with
// items); it returns false when the object has no items field and is
// therefore not a list.
func (d *decoder) list(j []byte, h *head, locate func() pos, depth int) bool {
	var l struct {
		Items *[]json.RawMessage `json:"items"`
	}
	if err := sjson.UnmarshalCaseSensitivePreserveInts(j, &l); err != nil {
		err = typed(err, "")
		d.reject(located(err, locate()), h.subject(), fmt.Errorf("decode %s: %w", h.Kind, err))
		return true
	}
	if l.Items == nil {
		return false
	}
	if depth >= maxListDepth {
		d.reject(locate().loc(), h.subject(), fmt.Errorf("lists nested more than %d deep", maxListDepth))
		return true
	}
	for i, item := range *l.Items {
		itemPos := func() pos { return locate().get("items").at(i) }
		d.object(item, itemPos, depth+1, nil)
	}
	return true
}

func (d *decoder) reject(loc model.Location, subject string, err error) {
	d.f.Problems = append(d.f.Problems, rejected(loc, subject, err))
}

func splitAPIVersion(v string) (group, version string) {
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		return v[:i], v[i+1:]
	}
	return "", v
}

// typed rewrites a type error of the JSON decoder as a *typeError naming
// the field path (prefixed with prefix); other errors are returned as they
// are.
func typed(err error, prefix string) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		what := "a value"
		if te.Type != nil {
			what = te.Type.String()
		}
		return &typeError{field: prefix + jsonPath(te.Field), err: fmt.Errorf("cannot decode %s into %s", te.Value, what)}
	}
	return err
}

// obj is an object of a workload kind being loaded.
type obj struct {
	d      *decoder
	head   *head
	locate func() pos
	// strict is set when the object's apiVersion is the version of the
	// type it is decoded into, so that unknown fields are reported.
	strict bool
}

// decode decodes JSON data, the value at field path prefix of the object
// ("" for the whole object), into v. With strict, every unknown field
// becomes an UnknownField problem and decoding goes on: sigs.k8s.io/json
// stores everything it knows before it returns the strict errors, so the
// object is loaded as a lenient decode would load it, without a second
// pass. It returns false,
// after recording a Rejected problem, when the value cannot be decoded.
func (o *obj) decode(data []byte, v any, prefix string, strict bool) bool {
	var errs []error
	var err error
	if strict {
		errs, err = sjson.UnmarshalStrict(data, v, sjson.DisallowDuplicateFields, sjson.DisallowUnknownFields)
	} else {
		err = sjson.UnmarshalCaseSensitivePreserveInts(data, v)
	}
	if err != nil {
		err = typed(err, prefix)
		o.d.reject(located(err, o.locate()), o.head.subject(), fmt.Errorf("decode %s: %w", o.head.Kind, err))
		return false
	}
	for _, e := range errs {
		var fe sjson.FieldError
		if !errors.As(e, &fe) {
			o.d.reject(o.locate().loc(), o.head.subject(), fmt.Errorf("decode %s: %w", o.head.Kind, e))
			continue
		}
		path := prefix + fe.FieldPath()
		if !strings.HasPrefix(e.Error(), "unknown field") {
			// Duplicate fields cannot reach here (the YAML conversion
			// rejects them), but never let one pass silently.
			o.d.reject(o.locate().path(path).loc(), o.head.subject(), fmt.Errorf("decode %s: %w", o.head.Kind, e))
			continue
		}
		ue := &unknownFieldError{field: path}
		o.d.f.Problems = append(o.d.f.Problems, model.Problem{
			Kind: model.UnknownField, Location: located(ue, o.locate()), Object: o.head.subject(), Err: ue,
		})
	}
	return true
}

// jsonPath drops from a decoder field path the names of embedded Go structs
// ("spec.volumes.VolumeSource.fc.lun"): they are not written in manifests,
// whose field names all start in lower case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && (p[0] < 'A' || p[0] > 'Z') {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}
