package cluster

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/rules"
)

// FuzzAuditLog feeds arbitrary bytes to ReadAuditLog: it must return
// findings or an error naming the file, never panic, and every finding must
// be a well-formed exec-session finding on a pod.
func FuzzAuditLog(f *testing.F) {
	if data, err := os.ReadFile("testdata/audit.log"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(event()))
	f.Add([]byte(event(`"ResponseComplete"`, `"ResponseStarted"`) + event()))
	f.Add([]byte(event(`"exec"`, `"ephemeralcontainers"`, `"create"`, `"patch"`)))
	f.Add([]byte(event(`?command=id`, `?command=%ff&command=&command=a%00b`)))
	f.Add([]byte(event(`"code":101`, `"code":403`)))
	f.Add([]byte(event(`audit.k8s.io/v1"`, `audit.k8s.io/v1beta1"`)))
	f.Add([]byte(event()[:100]))
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"))
	f.Add([]byte("\x00\x01\xfe\xff\n[]\n{}\n"))
	f.Add([]byte(strings.Repeat("{", 300)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := readAuditFindings(context.Background(), "fuzz.log", bytes.NewReader(data), AuditOptions{MaxLineBytes: 4096})
		if err != nil {
			if fs != nil {
				t.Fatalf("findings returned with error %v", err)
			}
			if !strings.Contains(err.Error(), "fuzz.log") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, f := range fs {
			if f.Rule != rules.ExecSession || f.Object == nil || f.Object.Kind != "Pod" ||
				f.Object.Namespace == "" || f.Object.Name == "" || f.Location.Line < 1 {
				t.Fatalf("malformed finding %+v", f)
			}
			if f.Subject != "Pod/"+f.Object.Namespace+"/"+f.Object.Name {
				t.Fatalf("subject %q does not match object %+v", f.Subject, f.Object)
			}
		}
	})
}
