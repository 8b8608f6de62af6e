package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/registry"
)

// FileName is the name searched for upward from the scanned path.
const FileName = ".immutcheck.yaml"

// maxConfigBytes bounds the policy file.
const maxConfigBytes = 1 << 20

// Config is the content of .immutcheck.yaml.
type Config struct {
	// FailOn is the lowest severity that fails the run ("" = default).
	FailOn string `json:"fail-on,omitempty"`
	// AllowedRegistries enables registry-not-allowed.
	AllowedRegistries []string `json:"allowed-registries,omitempty"`
	// InstanceTypes are resource types treated as compute instances by
	// inplace-update-planned and destroy-before-create, in addition to the
	// built-in list.
	InstanceTypes []string `json:"instance-types,omitempty"`
	// SSHPorts are the ports ssh-access reports when a firewall opens them
	// to the internet; empty means 22.
	SSHPorts []int `json:"ssh-ports,omitempty"`
	Rules    Rules `json:"rules,omitempty"`
	// Exclude are globs of paths not to scan, relative to Dir.
	Exclude []string `json:"exclude,omitempty"`
	Helm    Helm     `json:"helm,omitempty"`
	Limits  Limits   `json:"limits,omitempty"`
	// Registry is the policy for verifying images against their registries
	// (immutcheck image verify, scan --registry); see docs/registry.md.
	Registry registry.Policy `json:"registry,omitempty"`
	// Drift changes what "immutcheck drift" compares.
	Drift Drift `json:"drift,omitempty"`

	// Dir is the directory of the file; empty when no file was read.
	Dir string `json:"-"`
	// Path is the file read; empty when none.
	Path string `json:"-"`
}

// Drift adjusts the host drift check: Ignore adds paths or globs to leave
// out, Include compares paths a default ignore covers.
type Drift struct {
	Ignore  []string `json:"ignore,omitempty"`
	Include []string `json:"include,omitempty"`
}

// Rules disables rules and overrides their severity.
type Rules struct {
	Disable  []string          `json:"disable,omitempty"`
	Severity map[string]string `json:"severity,omitempty"`
}

// Helm sets values for every rendered chart.
type Helm struct {
	Values []string `json:"values,omitempty"`
	Set    []string `json:"set,omitempty"`
}

// Limits override the input bounds; zero keeps the default.
type Limits struct {
	MaxFileBytes   int64 `json:"max-file-bytes,omitempty"`
	MaxObjectBytes int64 `json:"max-object-bytes,omitempty"`
	MaxDocuments   int   `json:"max-documents,omitempty"`
}

// Read decodes the file at path strictly.
func Read(path string) (*Config, error) {
	data, err := regfile.ReadFile(path, maxConfigBytes)
	var tl *regfile.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, fmt.Errorf("config %s is larger than %d bytes", path, maxConfigBytes)
	case err != nil:
		return nil, fmt.Errorf("read config: %w", err)
	}
	var c Config
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Path, c.Dir = path, filepath.Dir(abs)
	return &c, nil
}

func (c *Config) validate() error {
	if c.Limits.MaxFileBytes < 0 || c.Limits.MaxObjectBytes < 0 || c.Limits.MaxDocuments < 0 {
		return errors.New("limits must not be negative")
	}
	for _, e := range c.Exclude {
		if e == "" {
			return errors.New("exclude: empty pattern")
		}
	}
	return nil
}

// Find looks for FileName in start (a file's directory or a directory) and
// its parents. It returns "" when there is none, and an error for one that
// is not a regular file.
func Find(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, FileName)
		// A config that is there but is not a regular file (a FIFO,
		// /dev/zero, a directory) is an error, not a reason to go on
		// without the policy it was meant to hold.
		switch err := regfile.Check(p); {
		case err == nil:
			return p, nil
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("config: %w", err)
		}
		if filepath.Dir(dir) == dir {
			return "", nil
		}
	}
}
