package kube

import (
	"strings"
	"testing"
)

// TestYAML11 pins how YAML 1.1 scalars and keys convert: exactly as
// sigs.k8s.io/yaml (and so kubectl and the API server) read them, which is
// not how a YAML 1.2 parser such as yaml.v3 reads them (RELIABILITY.md §2,
// case 7).
func TestYAML11(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, err string
	}{
		{in: "enabled: no", want: `{"enabled":false}`},
		{in: "a: yes\nb: on\nc: y\nd: Y\ne: off\nf: n\ng: NO", want: `{"a":true,"b":true,"c":true,"d":true,"e":false,"f":false,"g":false}`},
		{in: "y: 1", want: `{"true":1}`},
		{in: "n: 1", want: `{"false":1}`},
		{in: "on: 1\noff: 2", want: `{"false":2,"true":1}`},
		{in: "y: 1\non: 2", err: "line 2: key true already set in map"},
		{in: "mode: 0755", want: `{"mode":493}`},
		{in: "mode: '0755'", want: `{"mode":"0755"}`},
		{in: "hex: 0x1F\nbin: 0b101", want: `{"bin":5,"hex":31}`},
		{in: "big: 9007199254740993", want: `{"big":9007199254740993}`},
		{in: "f: 1.0\ng: 1e3\nh: .inf", err: "json: unsupported value: +Inf"},
		{in: "f: 1.0\ng: 1e3", want: `{"f":1,"g":1000}`},
		{in: "date: 2001-01-01", want: `{"date":"2001-01-01"}`},
		{in: "x: ~\nm: null\no:", want: `{"m":null,"o":null,"x":null}`},
		{in: "1: a\n2.5: b", want: `{"1":"a","2.5":"b"}`},
		{in: "version: 1.10", want: `{"version":1.1}`},
		{in: `{"json": [1, "two", true]}`, want: `{"json":[1,"two",true]}`},
	}
	for _, tt := range tests {
		got, err := toJSON([]byte(tt.in))
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.err == "" && string(got) != tt.want:
			t.Errorf("%q = %s, want %s", tt.in, got, tt.want)
		}
	}
}
