package pkgdb

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
)

// ParseApk parses apk's installed database (lib/apk/db/installed): blank-line
// separated records of "X:value" lines, where P is the name, V the version,
// A the architecture, F a directory (relative to /) and R a file in the last
// F directory. See the apk-tools "Apk spec" documentation.
func ParseApk(db []byte) ([]Package, error) {
	var out []Package
	var cur *Package
	dir := ""
	sc := bufio.NewScanner(bytes.NewReader(db))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		l := sc.Bytes()
		if len(l) == 0 {
			cur, dir = nil, ""
			continue
		}
		if len(l) < 2 || l[1] != ':' {
			return nil, fmt.Errorf("%w: line %d: not a field", ErrMalformed, line)
		}
		v := string(l[2:])
		if cur == nil {
			if len(out) >= maxPackages {
				return nil, fmt.Errorf("%w: more than %d packages", ErrMalformed, maxPackages)
			}
			out = append(out, Package{})
			cur = &out[len(out)-1]
		}
		switch l[0] {
		case 'P':
			cur.Name = v
		case 'V':
			cur.Version = v
		case 'A':
			cur.Arch = v
		case 'F':
			dir = v
		case 'R':
			if len(cur.Files) >= maxFilesPerPkg {
				return nil, fmt.Errorf("%w: line %d: too many files", ErrMalformed, line)
			}
			cur.Files = append(cur.Files, path.Clean("/"+path.Join(dir, v)))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, line+1, err)
	}
	for i := range out {
		if out[i].Name == "" {
			return nil, fmt.Errorf("%w: record %d has no P: field", ErrMalformed, i+1)
		}
	}
	sortPackages(out)
	return out, nil
}
