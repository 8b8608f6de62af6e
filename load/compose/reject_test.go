package compose

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// billionLaughs is the 9×9 alias bomb of RELIABILITY.md §5 case 1.
const billionLaughs = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
services:
  web:
    image: nginx
    x-bomb: *i
`

// hostile are inputs the loader must reject, with the line where the
// input says it. They also seed FuzzLoad.
var hostile = []struct {
	name string
	data string
	line int // expected line; 0 where the loader cannot know it
	msg  string
}{
	{"empty", "", 0, "empty compose file"},
	{"not a mapping", "- a\n- b\n", 0, "top-level object must be a mapping"},
	{"syntax error", "services:\n  web:\n    image: [nginx\n", 3, "yaml"},
	{"tab indentation", "services:\n\tweb:\n", 2, "yaml"},
	{"duplicate top-level key", "services:\n  a:\n    image: x\nservices:\n  b:\n    image: y\n", 4, "already defined"},
	{"duplicate service", "services:\n  web:\n    image: good\n  web:\n    image: evil\n", 4, "already defined"},
	{"duplicate field", "services:\n  web:\n    image: good\n    image: evil\n", 4, "already defined"},
	{"unknown top-level key", "services:\n  web:\n    image: x\nservics:\n  b: {}\n", 4, "additional properties 'servics'"},
	{"unknown service field", "services:\n  web:\n    image: x\n    imagee: y\n", 4, "imagee"},
	{"wrong type for ports", "services:\n  web:\n    image: x\n    ports: 80\n", 4, "ports"},
	{"wrong type for privileged", "services:\n  web:\n    image: x\n    privileged: maybe\n", 4, "privileged"},
	{"services is a list", "services:\n  - web\n", 1, "services"},
	{"no image and no build", "services:\n  web:\n    command: x\n", 2, "neither an image nor a build context"},
	{"undefined volume", "services:\n  web:\n    image: x\n    volumes: [data:/data]\n", 2, "undefined volume"},
	{"required variable", "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n", 3, "set IMAGE"},
	{"unset variable in port", "services:\n  web:\n    image: x\n    ports:\n      - \"${PORT}\"\n", 5, "invalid containerPort"},
	{"alias bomb", billionLaughs, 1, "excessive aliasing"},
	{"deep nesting", "services: " + strings.Repeat("[", 20000) + "\n", 1, "max depth"},
	{"nesting over our bound", "services:\n  web:\n    image: x\n    x-deep: " + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + "\n", 4, "nesting deeper than"},
	{"too many documents", strings.Repeat("services:\n  web:\n    image: x\n---\n", maxDocuments+1), 4 * maxDocuments, "more than"},
	{"too large", "services:\n  web:\n    image: x\n" + strings.Repeat("# padding\n", MaxBytes/10), 1, "larger than"},
	{"NUL byte", "services:\n  web:\n    image: x\x00\n", 3, "yaml"},
	{"UTF-16 BOM", "\xFF\xFEs\x00e\x00r\x00", 0, "must be a mapping"},
	{"include outside", "include:\n  - ../../../../../../../../etc/passwd\nservices:\n  web:\n    image: x\n", 2, "include or extends"},
	{"include absolute", "include:\n  - /etc/hostname\nservices:\n  web:\n    image: x\n", 2, "outside"},
	{"include remote", "include:\n  - oci://example.com/x:1\nservices:\n  web:\n    image: x\n", 2, "remote resources are not loaded"},
	{"include env_file outside", "include:\n  - path: testdata/include/inc/db.yaml\n    env_file: ../../../../../etc/hostname\nservices:\n  web:\n    image: x\n", 3, "outside"},
	{"extends outside", "services:\n  web:\n    extends:\n      file: /etc/hostname\n      service: x\n", 4, "outside"},
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("compose.yaml", []byte(tt.data))
			loadtest.WantRejected(t, f, tt.msg, tt.line)
			if n := len(f.Problems[0].Err.Error()); n > maxErrLen+len("...") {
				t.Errorf("message is %d bytes long", n)
			}
		})
	}
}
