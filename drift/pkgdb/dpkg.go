package pkgdb

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strings"
)

// ParseDpkg parses dpkg's status file (deb822 paragraphs, see dpkg(1) and
// deb-control(5)) and the info/*.list files, given by their base name without
// ".list" ("coreutils" or "libc6:amd64"). Only packages whose Status is
// "install ok installed" are returned; others are not on disk.
func ParseDpkg(status []byte, lists map[string][]byte) ([]Package, error) {
	var out []Package
	sc := bufio.NewScanner(bytes.NewReader(status))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	fields := map[string]string{}
	line := 0
	flush := func() error {
		if len(fields) == 0 {
			return nil
		}
		defer clear(fields)
		name := fields["package"]
		if name == "" {
			return fmt.Errorf("%w: paragraph ending at line %d has no Package field", ErrMalformed, line)
		}
		if !installed(fields["status"]) {
			return nil
		}
		if len(out) >= maxPackages {
			return fmt.Errorf("%w: more than %d packages", ErrMalformed, maxPackages)
		}
		p := Package{Name: name, Version: fields["version"], Arch: fields["architecture"]}
		files, err := dpkgFiles(p, lists)
		if err != nil {
			return err
		}
		p.Files = files
		out = append(out, p)
		return nil
	}
	last := ""
	for sc.Scan() {
		line++
		l := sc.Text()
		switch {
		case strings.TrimSpace(l) == "":
			if err := flush(); err != nil {
				return nil, err
			}
			last = ""
		case l[0] == ' ' || l[0] == '\t':
			// Continuation of a multi-line field (Description, Conffiles).
			if last == "" {
				return nil, fmt.Errorf("%w: line %d: continuation without a field", ErrMalformed, line)
			}
		default:
			k, v, ok := strings.Cut(l, ":")
			if !ok || k == "" {
				return nil, fmt.Errorf("%w: line %d: not a field", ErrMalformed, line)
			}
			last = strings.ToLower(k)
			fields[last] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, line+1, err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	sortPackages(out)
	return out, nil
}

// installed reports whether a dpkg Status field ("want flag state") says the
// package's files are on disk.
func installed(status string) bool {
	f := strings.Fields(status)
	return len(f) == 3 && (f[2] == "installed" || f[2] == "half-configured" || f[2] == "unpacked" || f[2] == "triggers-awaited" || f[2] == "triggers-pending")
}

// dpkgFiles returns the files a package owns from its .list file. Multi-arch
// packages use "name:arch.list"; others "name.list".
func dpkgFiles(p Package, lists map[string][]byte) ([]string, error) {
	b, ok := lists[p.Name+":"+p.Arch]
	if !ok {
		b = lists[p.Name]
	}
	var files []string
	for l := range strings.SplitSeq(string(b), "\n") {
		if l == "" || l == "/." {
			continue
		}
		if !strings.HasPrefix(l, "/") {
			return nil, fmt.Errorf("%w: file list of %s: relative path", ErrMalformed, p.Name)
		}
		if len(files) >= maxFilesPerPkg {
			return nil, fmt.Errorf("%w: file list of %s: more than %d files", ErrMalformed, p.Name, maxFilesPerPkg)
		}
		files = append(files, path.Clean(l))
	}
	return files, nil
}
