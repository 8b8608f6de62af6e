// Package userdata decodes instance boot configuration (EC2 user data,
// Azure custom data, GCE startup scripts): base64 when encoded, then either
// a cloud-init #cloud-config document or a shell script.
package userdata

import (
	"encoding/base64"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// MaxBytes bounds the user data that is decoded; EC2 itself accepts 16 KiB,
// so a larger value is not real user data and is cut there.
const MaxBytes = 64 << 10

// Parse decodes raw user data written at loc.
func Parse(raw string, loc model.Location) *model.UserData {
	if len(raw) > MaxBytes {
		raw = raw[:MaxBytes]
	}
	text := raw
	if dec, ok := decodeBase64(raw); ok {
		text = dec
	}
	u := &model.UserData{Location: loc}
	trimmed := strings.TrimSpace(text)
	if strings.HasPrefix(trimmed, "#cloud-config") {
		u.CloudConfig = true
		cloudConfig(u, trimmed, loc)
		return u
	}
	u.Commands = []model.Command{{Shell: text, Context: "user data", Location: loc}}
	return u
}

// decodeBase64 decodes s when it is base64 of valid UTF-8 text.
func decodeBase64(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 8 || strings.ContainsAny(s, " \n\t#") {
		return "", false
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return "", false
	}
	return string(b), true
}

// cloudConfig reads the module names and the runcmd/bootcmd commands of a
// cloud-config document. A document that does not parse is kept as one
// script, so that its text is still looked at.
func cloudConfig(u *model.UserData, doc string, loc model.Location) {
	var m map[string]any
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		u.Commands = []model.Command{{Shell: doc, Context: "cloud-config", Location: loc}}
		return
	}
	for k := range m {
		u.Modules = append(u.Modules, k)
	}
	sort.Strings(u.Modules)
	for _, key := range []string{"bootcmd", "runcmd"} {
		list, _ := m[key].([]any)
		for _, e := range list {
			c := model.Command{Context: key, Location: loc}
			switch e := e.(type) {
			case string:
				c.Shell = e
			case []any:
				for _, a := range e {
					if s, ok := a.(string); ok {
						c.Args = append(c.Args, s)
					}
				}
			default:
				continue
			}
			u.Commands = append(u.Commands, c)
		}
	}
}
