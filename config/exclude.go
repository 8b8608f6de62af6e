package config

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// Excluder returns a function that reports whether a walked path is
// excluded by the config's patterns or by extra patterns from flags. Patterns
// match the path relative to the config file's directory (or to the current
// directory for flag patterns and when there is no config file); a pattern
// without a slash also matches any base name, as in .gitignore.
func (c *Config) Excluder(extra []string) (func(string) bool, error) {
	type pat struct{ glob, base string }
	var pats []pat
	add := func(p, base string) error {
		if !doublestar.ValidatePattern(p) {
			return fmt.Errorf("exclude: bad pattern %q", p)
		}
		pats = append(pats, pat{glob: strings.TrimPrefix(p, "./"), base: base})
		return nil
	}
	for _, p := range c.Exclude {
		if err := add(p, c.Dir); err != nil {
			return nil, err
		}
	}
	for _, p := range extra {
		if err := add(p, ""); err != nil {
			return nil, err
		}
	}
	if len(pats) == 0 {
		return nil, nil
	}
	return func(path string) bool {
		abs, err := filepath.Abs(filepath.FromSlash(path))
		if err != nil {
			return false
		}
		for _, p := range pats {
			base := p.base
			if base == "" {
				base, _ = filepath.Abs(".")
			}
			rel, err := filepath.Rel(base, abs)
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			rel = filepath.ToSlash(rel)
			if ok, _ := doublestar.Match(p.glob, rel); ok {
				return true
			}
			if !strings.Contains(p.glob, "/") {
				if ok, _ := doublestar.Match(p.glob, filepath.Base(abs)); ok {
					return true
				}
			}
		}
		return false
	}, nil
}
