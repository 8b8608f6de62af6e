package kustomize

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// fileKeys are the kustomization fields, at any depth, whose string values
// name files or directories that kustomize loads. Inline generator and
// transformer configs use path, files, envs and env as well.
var fileKeys = map[string]bool{
	"resources": true, "bases": true, "components": true, "crds": true,
	"configurations": true, "generators": true, "transformers": true,
	"validators": true, "patchesStrategicMerge": true, "path": true,
	"files": true, "envs": true, "env": true,
}

// inlineKeys are the fields whose entries may be inline YAML configs.
var inlineKeys = map[string]bool{"generators": true, "transformers": true, "validators": true}

// helmKeys are the fields that make kustomize run helm.
var helmKeys = map[string]bool{"helmCharts": true, "helmChartInflationGenerator": true, "helmGlobals": true}

// ref is a file or directory a kustomization names, where it names it.
type ref struct {
	// Key is the field that holds it.
	Key    string
	Value  string
	Line   int
	Remote bool
}

// refs lists the loadable references of a kustomization and the helm
// fields it uses, with their lines.
func refs(root *yaml.RNode) (out []ref, helm []ref) {
	var walk func(n *yaml.Node, key string, depth int)
	walk = func(n *yaml.Node, key string, depth int) {
		if n == nil || depth > 64 {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, key, depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if depth == 0 && helmKeys[k] {
					helm = append(helm, ref{Value: k, Line: n.Content[i].Line})
				}
				walk(n.Content[i+1], k, depth+1)
			}
		case yaml.ScalarNode:
			if !fileKeys[key] {
				return
			}
			v := n.Value
			if inlineKeys[key] && strings.Contains(v, "\n") {
				// An inline plugin config, itself YAML.
				if sub, err := yaml.Parse(v); err == nil {
					before := len(out)
					walk(sub.YNode(), "", depth+1)
					for i := before; i < len(out); i++ {
						out[i].Line = n.Line
					}
				}
				return
			}
			if key == "files" {
				// key=path or path
				if _, after, ok := strings.Cut(v, "="); ok {
					v = after
				}
			}
			out = append(out, ref{Key: key, Value: v, Line: n.Line, Remote: IsRemote(v)})
		}
	}
	walk(root.YNode(), "", 0)
	return out, helm
}

var scpUser = regexp.MustCompile(`^[a-z][a-z0-9-]*@`)

// IsRemote reports whether kustomize would fetch s rather than read it from
// disk: a URL of any scheme (kustomize downloads http and https files and
// clones ssh, https and file git URLs), a github.com path or an SCP-style
// user@host:path, with or without go-getter's "git::" prefix. It errs on
// the side of remote: a local path that merely looks like a URL is
// reported too. Strings holding whitespace are inline content, not
// references.
func IsRemote(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	l := strings.ToLower(s)
	l = strings.TrimPrefix(l, "git::")
	switch {
	case strings.Contains(l, "://"),
		strings.HasPrefix(l, "github.com/"), strings.HasPrefix(l, "github.com:"),
		scpUser.MatchString(l):
		return true
	}
	if u, err := url.Parse(l); err == nil && len(u.Scheme) > 1 {
		return true
	}
	return false
}

// redact hides the password of a URL so that it never reaches a report.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// remoteError is a remote reference that was not fetched.
type remoteError struct{ Value string }

func (e *remoteError) Error() string {
	return fmt.Sprintf("remote resource %q not fetched (offline)", redact(e.Value))
}
