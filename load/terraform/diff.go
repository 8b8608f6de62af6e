package terraform

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"

	"github.com/immutcheck/immutcheck/model"
)

// MaxChangedPaths bounds the attribute paths listed for one change.
const MaxChangedPaths = 200

// diff lists in pc the attribute paths whose values differ between before
// and after. Below a path marked sensitive (in before_sensitive or
// after_sensitive) nothing is listed, and values are never kept.
func diff(pc *model.PlannedChange, before, after, bSens, aSens, unknown any) {
	d := &differ{pc: pc}
	d.walk("", before, after, bSens, aSens, unknown)
}

type differ struct {
	pc *model.PlannedChange
}

func (d *differ) add(path string, sensitive, unknown bool) {
	if len(d.pc.Changed) >= MaxChangedPaths {
		return
	}
	d.pc.Changed = append(d.pc.Changed, path)
	if sensitive {
		d.pc.Sensitive = append(d.pc.Sensitive, path)
	}
	if unknown {
		d.pc.Unknown = append(d.pc.Unknown, path)
	}
}

func (d *differ) walk(path string, before, after, bSens, aSens, unknown any) {
	if len(d.pc.Changed) >= MaxChangedPaths {
		return
	}
	if isTrue(bSens) || isTrue(aSens) {
		if isTrue(unknown) || !equal(before, after) {
			d.add(path, true, isTrue(unknown))
		}
		return
	}
	if isTrue(unknown) {
		d.add(path, false, true)
		return
	}
	bm, bok := before.(map[string]any)
	am, aok := after.(map[string]any)
	if bok && aok {
		for _, k := range unionKeys(bm, am) {
			d.walk(joinKey(path, k), bm[k], am[k], field(bSens, k), field(aSens, k), field(unknown, k))
		}
		return
	}
	bl, bok := before.([]any)
	al, aok := after.([]any)
	if bok && aok {
		for i := 0; i < max(len(bl), len(al)); i++ {
			d.walk(fmt.Sprintf("%s[%d]", path, i), elem(bl, i), elem(al, i), elem(sliceOf(bSens), i), elem(sliceOf(aSens), i), elem(sliceOf(unknown), i))
		}
		return
	}
	if !equal(before, after) {
		d.add(path, false, false)
	}
}

// equal compares two decoded JSON values; numbers are compared exactly as
// rationals, so integers beyond 2^53 that differ in the last digit differ.
func equal(a, b any) bool {
	switch a := a.(type) {
	case json.Number:
		bn, ok := b.(json.Number)
		if !ok {
			return false
		}
		if a == bn {
			return true
		}
		x, ok1 := new(big.Rat).SetString(string(a))
		y, ok2 := new(big.Rat).SetString(string(bn))
		return ok1 && ok2 && x.Cmp(y) == 0
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !equal(v, w) {
				return false
			}
		}
		return true
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !equal(a[i], bl[i]) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

func unionKeys(a, b map[string]any) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// joinKey appends an attribute name or map key to a path; keys that are
// not identifiers are quoted.
func joinKey(path, k string) string {
	if !isIdent(k) {
		return fmt.Sprintf("%s[%q]", path, k)
	}
	if path == "" {
		return k
	}
	return path + "." + k
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func field(v any, k string) any {
	m, _ := v.(map[string]any)
	return m[k]
}

func sliceOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func elem(l []any, i int) any {
	if i < len(l) {
		return l[i]
	}
	return nil
}

func isTrue(v any) bool {
	b, ok := v.(bool)
	return ok && b
}

// replacePaths formats replace_paths entries (lists of attribute names and
// indexes) like the paths of diff.
func replacePaths(in []any) []string {
	var out []string
	for _, p := range in {
		steps, ok := p.([]any)
		if !ok {
			continue
		}
		path := ""
		for _, s := range steps {
			switch s := s.(type) {
			case string:
				path = joinKey(path, s)
			case json.Number:
				path = fmt.Sprintf("%s[%s]", path, s)
			case float64:
				path = fmt.Sprintf("%s[%d]", path, int64(s))
			}
		}
		if path != "" {
			out = append(out, path)
		}
	}
	return out
}
