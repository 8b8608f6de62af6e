package dockerfile

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// hostile are inputs the loader must reject with a line, never panic on
// (RELIABILITY.md §5, cases 21–23). They also seed FuzzLoad.
var hostile = []struct {
	name string
	data string
	line int    // expected line of the problem
	msg  string // expected part of the message
}{
	{"empty", "", 1, "empty file"},
	{"blank", " \n\t\n", 1, "empty file"},
	{"comments only", "# just a comment\n# another\n", 2, "no instructions"},
	{"directive only", "# escape=`\n", 1, "no instructions"},
	{"no FROM", "ARG X=1\n", 1, "no FROM"},
	{"instruction before FROM", "RUN echo hi\nFROM alpine\n", 1, "no build stage"},
	{"NUL byte", "FROM alpine\nRUN echo \x00\n", 2, "NUL byte"},
	{"UTF-8 BOM", "\xEF\xBB\xBFFROM alpine\n", 1, "byte-order mark"},
	{"UTF-16LE BOM", "\xFF\xFEF\x00R\x00O\x00M\x00", 1, "UTF-16"},
	{"UTF-16BE BOM", "\xFE\xFF\x00F\x00R", 1, "UTF-16"},
	{"continuation at EOF", "FROM alpine\nRUN apk add \\\n    curl \\\n", 3, "continuation at end of file"},
	{"continuation then comment at EOF", "FROM alpine\nRUN apk add \\\n# trailing\n\n", 2, "continuation at end of file"},
	{"escape continuation at EOF", "# escape=`\nFROM alpine\nRUN dir `", 3, "continuation at end of file"},
	{"long line", "FROM alpine\nRUN " + strings.Repeat("a", 70000) + "\n", 2, "max allowed size"},
	{"unknown instruction", "FROM alpine\nFORM x\n", 2, "unknown instruction"},
	{"unterminated heredoc", "FROM alpine\nRUN <<EOF\necho hi\n", 2, "unterminated heredoc"},
	{"FROM with two words", "FROM alpine foo\n", 1, "FROM requires"},
	{"bad stage name", "FROM alpine AS 1st\n", 1, "invalid name for build stage"},
	{"unknown flag", "FROM alpine\nRUN --bogus=1 true\n", 2, "unknown flag"},
	{"blank base", "ARG EMPTY=\nFROM ${EMPTY}\n", 2, "empty"},
	{"bad escape directive", "# escape=x\nFROM alpine\n", 1, "invalid escape"},
	{"too large", "FROM alpine\n" + strings.Repeat("RUN true\n", MaxBytes/9+1), 1, "larger than"},
	{"two escape directives", "# escape=`\n# escape=\\\nFROM alpine\n", 2, "only one escape"},
	{"invalid UTF-8 in FROM", "FROM alp\xffine\n", 1, "not valid UTF-8"},
	{"expose without port", "FROM alpine\nEXPOSE\n", 2, "at least one argument"},
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	for _, tt := range hostile {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("Dockerfile", []byte(tt.data))
			loadtest.WantRejected(t, f, tt.msg, tt.line)
			if n := len(f.Problems[0].Err.Error()); n > maxErrLen+len("...") {
				t.Errorf("message is %d bytes long", n)
			}
		})
	}
}

// accepted are inputs near the rejected ones that the builder accepts and
// so must we. They also seed FuzzLoad.
var accepted = map[string]string{
	"no final newline":        "FROM alpine",
	"CRLF":                    "FROM alpine\r\nRUN true\r\n",
	"continuation ends":       "FROM alpine\nRUN a \\\n  b\n",
	"comment ends with slash": "FROM alpine\n# c:\\\n",
	"heredoc ends with slash": "FROM alpine\nRUN <<EOF\necho \\\nEOF\n",
	"line of 60 KiB":          "FROM alpine\nRUN " + strings.Repeat("a", 60000) + "\n",
	"undeclared variable":     "FROM alpine:${NOPE}\n",
	"check directive":         "# check=skip=all\nFROM alpine\n# check=error=true\nRUN true\n",
	"check directive skips":   "FROM alpine\n# check=skip=JSONArgsRecommended;experimental=all\nCMD true\n",
}

func TestLoadAccepts(t *testing.T) {
	t.Parallel()
	for name, data := range accepted {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := Load("Dockerfile", []byte(data))
			if len(f.Problems) != 0 || len(f.Builds) != 1 {
				t.Fatalf("got problems %v, builds %d; want one build", f.Problems, len(f.Builds))
			}
		})
	}
}
