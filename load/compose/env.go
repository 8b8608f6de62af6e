package compose

import (
	"github.com/immutcheck/immutcheck/internal/regfile"

	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

// maxEnvFileBytes bounds the .env file read next to a compose file.
const maxEnvFileBytes = 1 << 20

// readDotEnv reads .env in the guard's root, the only source of
// interpolation variables. A missing file is no variables; one that links
// outside the root is an error. Variables inside the file are expanded from
// the file itself only, never from the process environment.
func readDotEnv(g *guard) (map[string]string, error) {
	name := filepath.Join(g.root, ".env")
	if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	real, err := g.inside(g.root, ".env")
	if err != nil {
		return nil, fmt.Errorf("read .env: %w", err)
	}
	data, err := readBounded(real, maxEnvFileBytes)
	if err != nil {
		return nil, fmt.Errorf("read .env: %w", err)
	}
	vars, err := dotenv.ParseWithLookup(bytes.NewReader(data), func(string) (string, bool) { return "", false })
	if err != nil {
		return nil, fmt.Errorf("parse .env: %w", err)
	}
	return vars, nil
}

// readBounded reads a regular file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, _, err := regfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}
