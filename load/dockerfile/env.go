package dockerfile

import (
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// stageEnv is the environment BuildKit expands EXPOSE arguments with: ENV
// values, inherited by stages built FROM the stage, and ARG values, which
// hold only in their stage. An ARG without a default takes the global
// ARG's value, or stays ${NAME} (it may come from --build-arg).
type stageEnv struct {
	x       *expander
	env     *argEnv // ENV values along the chain of stages
	current *argEnv // ENV and ARG values of the stage being read
}

func newStageEnv(x *expander) *stageEnv {
	return &stageEnv{x: x, env: &argEnv{vals: map[string]string{}}}
}

// enterStage starts a stage: ENV carries over, ARGs do not.
func (s *stageEnv) enterStage() {
	s.current = &argEnv{vals: map[string]string{}}
	for _, k := range s.env.keys {
		s.current.set(k, s.env.vals[k])
	}
}

func (s *stageEnv) setEnv(kvs instructions.KeyValuePairs, line int) {
	for _, kv := range kvs {
		v := s.expand(kv.Value, line, "ENV")
		s.env.set(kv.Key, v)
		s.current.set(kv.Key, v)
	}
}

func (s *stageEnv) setArgs(kvs []instructions.KeyValuePairOptional, line int) {
	for _, kv := range kvs {
		switch {
		case kv.Value != nil:
			s.current.set(kv.Key, s.expand(*kv.Value, line, "ARG"))
		default:
			if v, ok := s.x.env.Get(kv.Key); ok {
				s.current.set(kv.Key, v)
			} else {
				s.current.set(kv.Key, unknown(kv.Key))
			}
		}
	}
}

// expand substitutes the stage's variables into word; a word that does not
// expand is kept as written. One over the budget is recorded at line.
func (s *stageEnv) expand(word string, line int, instruction string) string {
	if !utf8.ValidString(word) {
		return word
	}
	v, err := s.x.process(word, s.current)
	if err != nil {
		s.x.overBudget(err, line, instruction)
		return word
	}
	return v
}

// words expands EXPOSE arguments, each of which may expand to several
// words, as BuildKit's dispatchExpose does.
func (s *stageEnv) words(args []string, line int) []string {
	var out []string
	for _, a := range args {
		if !utf8.ValidString(a) {
			continue
		}
		ws, err := s.x.processWords(a, s.current)
		if err != nil {
			s.x.overBudget(err, line, "EXPOSE")
			continue
		}
		out = append(out, ws...)
	}
	return out
}
