package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrRollback is returned for a validly signed baseline whose generation is
// lower than one already seen with the same key.
var ErrRollback = errors.New("baseline rollback")

// maxState bounds the state file.
const maxState = 1 << 20

// State records the highest baseline generation seen per signing key. It
// lives apart from the baselines (by default under /var/lib/immutcheck), so
// that replacing a baseline with an older signed one is detected, as TUF
// does for its metadata versions.
type State struct {
	Generations map[string]uint64 `json:"generations"`
}

// LoadState reads the state file; a missing file is an empty state, a
// damaged one an error (never a silent reset).
func LoadState(name string) (*State, error) {
	s := &State{Generations: map[string]uint64{}}
	b, err := readBounded(name, maxState)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read baseline state: %w", err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fmt.Errorf("read baseline state: %w", err)
	}
	if s.Generations == nil {
		s.Generations = map[string]uint64{}
	}
	return s, nil
}

// Check refuses a generation lower than the highest seen for keyID.
func (s *State) Check(keyID string, gen uint64) error {
	if seen := s.Generations[keyID]; gen < seen {
		return fmt.Errorf("%w: generation %d is older than generation %d already seen for this key", ErrRollback, gen, seen)
	}
	return nil
}

// Record notes gen for keyID and saves the state atomically when it rose.
func (s *State) Record(name, keyID string, gen uint64) error {
	if gen <= s.Generations[keyID] {
		return nil
	}
	s.Generations[keyID] = gen
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("save baseline state: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		return fmt.Errorf("save baseline state: %w", err)
	}
	return WriteFile(name, append(b, '\n'), 0o600)
}

// ReadFile reads a baseline or signature file of at most max bytes without
// following a symlink at its last component.
func ReadFile(name string, max int64) ([]byte, error) {
	return readBounded(name, max)
}
