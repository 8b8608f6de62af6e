package dockerfile

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

// platformArgs are the build arguments BuildKit defines for every build;
// their values depend on the machine that builds, so they are unknown here.
var platformArgs = []string{
	"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
	"TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
}

// argEnv holds the global build arguments as BuildKit's lexer reads them.
// An argument whose value is unknown (no default, or set by the platform)
// expands to "${NAME}", so the result visibly stays unresolved.
type argEnv struct {
	vals map[string]string
	keys []string
}

// Get implements shell.EnvGetter.
func (e *argEnv) Get(key string) (string, bool) {
	v, ok := e.vals[key]
	return v, ok
}

// Keys implements shell.EnvGetter.
func (e *argEnv) Keys() []string { return e.keys }

func (e *argEnv) set(key, val string) {
	if _, ok := e.vals[key]; !ok {
		e.keys = append(e.keys, key)
	}
	e.vals[key] = val
}

// expander substitutes global build arguments into FROM references with
// BuildKit's own lexer, honouring the file's escape token.
type expander struct {
	lex *shell.Lex
	env *argEnv
}

// newExpander evaluates the ARG instructions before the first FROM in order,
// as BuildKit does: a default may refer to an earlier argument. A default
// that does not expand is kept as written.
func newExpander(escape rune, metaArgs []instructions.ArgCommand) *expander {
	x := &expander{lex: shell.NewLex(escape), env: &argEnv{vals: map[string]string{}}}
	for _, name := range platformArgs {
		x.env.set(name, unknown(name))
	}
	for _, cmd := range metaArgs {
		for _, kv := range cmd.Args {
			if kv.Value == nil {
				x.env.set(kv.Key, unknown(kv.Key))
				continue
			}
			v, err := x.expand(*kv.Value)
			if err != nil {
				v = *kv.Value
			}
			x.env.set(kv.Key, v)
		}
	}
	return x
}

// expand substitutes the global build arguments into word. Text that is
// not UTF-8 is refused before it reaches BuildKit's lexer, whose scanner
// reports such bytes on standard error.
func (x *expander) expand(word string) (string, error) {
	if !utf8.ValidString(word) {
		return "", errors.New("not valid UTF-8")
	}
	v, _, err := x.lex.ProcessWord(word, x.env)
	if err != nil {
		return "", fmt.Errorf("expand %q: %w", word, err)
	}
	return v, nil
}

func unknown(name string) string { return "${" + name + "}" }
