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

// MaxExpandedBytes bounds the bytes that variable substitution may insert
// in one Dockerfile, over all its instructions. Each reference to a
// variable draws its value's length from this budget, so a chain of
// arguments that doubles at each line, or a line that repeats a long value,
// stops at the bound instead of exhausting memory.
const MaxExpandedBytes = 1 << 20

// errExpansion is the error of an expansion over MaxExpandedBytes.
var errExpansion = fmt.Errorf("variables expand to more than %d bytes", MaxExpandedBytes)

// meter hands out an environment's values while they fit the file's
// budget of substituted bytes; past it every value is empty and hit is set.
type meter struct {
	env  shell.EnvGetter
	left int
	hit  bool
}

// Get implements shell.EnvGetter.
func (m *meter) Get(key string) (string, bool) {
	v, ok := m.env.Get(key)
	if !ok {
		return v, ok
	}
	if len(v) > m.left {
		m.hit, m.left = true, 0
		return "", true
	}
	m.left -= len(v)
	return v, true
}

// Keys implements shell.EnvGetter.
func (m *meter) Keys() []string { return m.env.Keys() }

// expander substitutes global build arguments into FROM references with
// BuildKit's own lexer, honouring the file's escape token. Every
// substitution, of global or stage variables, draws from one budget.
type expander struct {
	lex    *shell.Lex
	env    *argEnv
	budget *meter
	// err is the first expansion over the budget, at its instruction's
	// line.
	err error
}

// process expands word with env within the budget.
func (x *expander) process(word string, env shell.EnvGetter) (string, error) {
	if x.budget.hit {
		return "", errExpansion
	}
	x.budget.env = env
	v, _, err := x.lex.ProcessWord(word, x.budget)
	if x.budget.hit {
		return "", errExpansion
	}
	return v, err
}

// processWords is process for a word that may expand to several words.
func (x *expander) processWords(word string, env shell.EnvGetter) ([]string, error) {
	if x.budget.hit {
		return nil, errExpansion
	}
	x.budget.env = env
	ws, err := x.lex.ProcessWords(word, x.budget)
	if x.budget.hit {
		return nil, errExpansion
	}
	return ws, err
}

// overBudget records the first expansion over the budget at line.
func (x *expander) overBudget(err error, line int, instruction string) {
	if errors.Is(err, errExpansion) && x.err == nil {
		x.err = atLine(line, "%s: %w", instruction, err)
	}
}

// newExpander evaluates the ARG instructions before the first FROM in order,
// as BuildKit does: a default may refer to an earlier argument. A default
// that does not expand is kept as written.
func newExpander(escape rune, metaArgs []instructions.ArgCommand) *expander {
	x := &expander{lex: shell.NewLex(escape), env: &argEnv{vals: map[string]string{}}, budget: &meter{left: MaxExpandedBytes}}
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
				x.overBudget(err, startLine(cmd.Location()), "ARG")
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
	v, err := x.process(word, x.env)
	switch {
	case errors.Is(err, errExpansion):
		return "", err
	case err != nil:
		return "", fmt.Errorf("expand %q: %w", word, err)
	}
	return v, nil
}

func unknown(name string) string { return "${" + name + "}" }
