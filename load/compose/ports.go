package compose

import (
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

// sshPort is recorded for a published port range that contains it.
const sshPort = 22

// ports records each port by its container port, or as 22 when either the
// container port or the published port (range) is 22. compose-go expands
// ranges into one port each; of one declaration only the first port and
// those recorded as 22 are kept.
func ports(ix *index, env template.Mapping, name string, ps []types.ServicePortConfig) []model.Port {
	if len(ps) == 0 {
		return nil
	}
	locs := portLocs(ix, env, name)
	var out []model.Port
	seen := map[model.Location]bool{}
	for _, p := range ps {
		n := int(p.Target)
		if publishes(p.Published, sshPort) {
			n = sshPort
		}
		loc, ok := locs[portKey{p.Target, p.Published}]
		if !ok {
			loc = ix.fieldLoc(name, "ports")
		}
		if n != sshPort && seen[loc] {
			continue
		}
		seen[loc] = true
		out = append(out, model.Port{Number: n, Protocol: p.Protocol, Location: loc})
	}
	return out
}

// exposed records the ports of expose ("22", "8000-8010/udp"): a range as
// its first port, or as 22 when it contains 22.
func exposed(ix *index, name string, list types.StringOrNumberList) []model.Port {
	var out []model.Port
	items := ix.items(name, "expose")
	for _, spec := range list {
		num, proto, _ := strings.Cut(spec, "/")
		lo, _, _ := strings.Cut(num, "-")
		n, err := strconv.Atoi(lo)
		if err != nil {
			continue
		}
		if publishes(num, sshPort) {
			n = sshPort
		}
		loc := ix.fieldLoc(name, "expose")
		if i := slices.IndexFunc(items, func(n *yaml.Node) bool { return n.Value == spec }); i >= 0 {
			loc = ix.loc(items[i])
		}
		out = append(out, model.Port{Number: n, Protocol: strings.ToLower(proto), Location: loc})
	}
	return out
}

// publishes reports whether a published port or range ("2222", "20-30")
// contains port.
func publishes(published string, port int) bool {
	lo, hi, isRange := strings.Cut(published, "-")
	first, err := strconv.Atoi(lo)
	if err != nil {
		return false
	}
	last := first
	if isRange {
		if last, err = strconv.Atoi(hi); err != nil {
			return false
		}
	}
	return first <= port && port <= last
}

type portKey struct {
	target    uint32
	published string
}

// portLocs maps each port the ports list of a service declares to the item
// that declares it, parsing each item once.
func portLocs(ix *index, env template.Mapping, name string) map[portKey]model.Location {
	locs := map[portKey]model.Location{}
	add := func(k portKey, item *yaml.Node) {
		if _, ok := locs[k]; !ok {
			locs[k] = ix.loc(item)
		}
	}
	for _, item := range ix.items(name, "ports") {
		switch item.Kind {
		case yaml.ScalarNode:
			spec, err := substitute(item.Value, env)
			if err != nil {
				continue
			}
			cfgs, err := types.ParsePortConfig(spec)
			if err != nil {
				continue
			}
			for _, c := range cfgs {
				add(portKey{c.Target, c.Published}, item)
			}
		case yaml.MappingNode:
			t, err := strconv.ParseUint(scalarValue(item, "target"), 10, 32)
			if err != nil {
				continue
			}
			add(portKey{uint32(t), scalarValue(item, "published")}, item)
		}
	}
	return locs
}
