package kube

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// maxFastDepth bounds the recursion of fastJSON; deeper documents take the
// reference path, whose parser has its own limit.
const maxFastDepth = 256

// fastJSON converts a document already parsed for positions into the JSON
// that toJSON (sigs.k8s.io/yaml) gives, so that most documents are parsed
// once instead of twice. No library converts a yaml.v3 tree with the YAML
// 1.1 rules of go-yaml v2, so this is written by hand.
//
// It handles only a subset it can prove equal to the reference, and
// returns ok=false for everything else: the caller then converts with
// toJSON, which yields the canonical result or error. Outside the subset
// are anchors and aliases, tags (a '!' anywhere in the text), merge keys,
// keys that do not resolve to strings, duplicate keys, floats JSON cannot
// hold, directives, and nesting deeper than maxFastDepth. Plain scalars are
// resolved as go-yaml v2 resolves them when decoding into interface{}
// (resolve.go there): YAML 1.1 booleans and nulls, integers in any base
// with "_" separators, floats, and timestamps kept as strings.
// FuzzJSONMatchesSigsYAML checks the equality on arbitrary input.
func fastJSON(raw []byte, doc *yaml.Node) (j []byte, ok bool) {
	if !fastEligible(raw, doc) {
		return nil, false
	}
	v, ok := fastValue(doc.Content[0], 0, true)
	if !ok {
		return nil, false
	}
	j, err := json.Marshal(v)
	return j, err == nil
}

// fastValid reports whether fastJSON would convert the document, without
// building the JSON: then the reference accepts the document too.
func fastValid(raw []byte, doc *yaml.Node) bool {
	if !fastEligible(raw, doc) {
		return false
	}
	_, ok := fastValue(doc.Content[0], 0, false)
	return ok
}

// fastEligible checks the whole-document conditions of the fast path: one
// document, no tag (no '!' anywhere) and no directive.
func fastEligible(raw []byte, doc *yaml.Node) bool {
	return doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 &&
		bytes.IndexByte(raw, '!') < 0 && !bytes.HasPrefix(raw, []byte("%")) && !bytes.Contains(raw, []byte("\n%"))
}

// fastValue converts n, or with build false only checks that it can.
func fastValue(n *yaml.Node, depth int, build bool) (any, bool) {
	if depth > maxFastDepth || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return nil, false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return n.Value, true
		}
		return resolve11(n.Value)
	case yaml.SequenceNode:
		var s []any
		if build {
			s = make([]any, len(n.Content))
		}
		for i, c := range n.Content {
			v, ok := fastValue(c, depth+1, build)
			if !ok {
				return nil, false
			}
			if build {
				s[i] = v
			}
		}
		return s, true
	case yaml.MappingNode:
		// Keys are kept even when not building, to find duplicates.
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, ok := fastKey(n.Content[i])
			if !ok {
				return nil, false
			}
			if _, dup := m[k]; dup {
				return nil, false
			}
			v, ok := fastValue(n.Content[i+1], depth+1, build)
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	}
	return nil, false // aliases
}

// fastKey accepts keys that go-yaml v2 reads as strings.
func fastKey(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return "", false
	}
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return n.Value, true
	}
	v, ok := resolve11(n.Value)
	s, isString := v.(string)
	return s, ok && isString && n.Value != "<<"
}

// resolve11 resolves a plain scalar as go-yaml v2 does; ok is false for
// what fastJSON leaves to the reference (merge keys, infinities, NaN).
func resolve11(in string) (any, bool) {
	if in == "" {
		return nil, true
	}
	if v, found := words11[in]; found {
		return v, v != errMerge
	}
	switch c := in[0]; {
	case c == '.':
		if f, err := strconv.ParseFloat(in, 64); err == nil {
			return finite(f)
		}
	case c == '+' || c == '-' || (c >= '0' && c <= '9'):
		if isTimestamp(in) {
			return in, true // v2 keeps timestamps as strings in interface{}
		}
		plain := strings.ReplaceAll(in, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return i, true
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return u, true
		}
		if yamlFloat.MatchString(plain) {
			if f, err := strconv.ParseFloat(plain, 64); err == nil {
				return finite(f)
			}
		}
		if strings.HasPrefix(plain, "0b") {
			if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
				return i, true
			}
			if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
				return u, true
			}
		} else if strings.HasPrefix(plain, "-0b") {
			if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
				return i, true
			}
		}
	}
	return in, true
}

func finite(f float64) (any, bool) {
	return f, !math.IsInf(f, 0) && !math.IsNaN(f)
}

// errMerge marks the merge key in words11.
var errMerge = new(int)

// words11 are the plain scalars with a fixed meaning in YAML 1.1 as go-yaml
// v2 reads it.
var words11 = func() map[string]any {
	m := map[string]any{"<<": errMerge}
	for _, w := range []string{"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"} {
		m[w] = true
	}
	for _, w := range []string{"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"} {
		m[w] = false
	}
	for _, w := range []string{"~", "null", "Null", "NULL"} {
		m[w] = nil
	}
	for _, w := range []string{".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"} {
		m[w] = errMerge // JSON holds no infinities: leave them to the reference
	}
	return m
}()

var yamlFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// isTimestamp reports whether go-yaml v2 resolves s as a timestamp: four
// digits and a dash, then one of its layouts.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, layout := range []string{
		"2006-1-2T15:4:5.999999999Z07:00",
		"2006-1-2t15:4:5.999999999Z07:00",
		"2006-1-2 15:4:5.999999999",
		"2006-1-2",
	} {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}
