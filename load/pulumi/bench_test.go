package pulumi

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// benchPreview builds a preview of n instance updates, each with a state
// of a few kilobytes as real previews carry.
func benchPreview(n int) []byte {
	var b bytes.Buffer
	b.WriteString("{\n  \"steps\": [\n")
	state := bytes.Repeat([]byte(`"k": "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv", `), 40)
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `    {"op": "update", "urn": "urn:pulumi:prod::web::aws:ec2/instance:Instance::vm-%d", "oldState": {"type": "aws:ec2/instance:Instance", "inputs": {%s"userData": "a"}}, "newState": {"type": "aws:ec2/instance:Instance", "inputs": {%s"userData": "b"}}, "diffReasons": ["userData"]}`, i, state, state)
	}
	b.WriteString("\n  ],\n  \"changeSummary\": {\"update\": 5000}\n}\n")
	return b.Bytes()
}

func BenchmarkLoadPreview5000(b *testing.B) {
	data := benchPreview(5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer loadtest.ReportCPU(b)()
	for b.Loop() {
		if f := Load("preview.json", data); len(f.Changes) != 5000 {
			b.Fatalf("%d changes", len(f.Changes))
		}
	}
}

func BenchmarkLoadEventLog5000(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"sequence":0,"timestamp":0,"preludeEvent":{"config":{}}}` + "\n")
	for i := range 5000 {
		fmt.Fprintf(&buf, `{"sequence":%d,"timestamp":0,"resourcePreEvent":{"metadata":{"op":"update","urn":"urn:pulumi:prod::web::aws:ec2/instance:Instance::vm-%d","type":"aws:ec2/instance:Instance","old":{"inputs":{"userData":"a"}},"new":{"inputs":{"userData":"b"}},"diffs":["userData"]},"planning":true}}`+"\n", i+1, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer loadtest.ReportCPU(b)()
	for b.Loop() {
		if f := Load("events.json", data); len(f.Changes) != 5000 {
			b.Fatalf("%d changes", len(f.Changes))
		}
	}
}
