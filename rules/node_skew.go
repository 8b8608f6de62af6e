package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// platformFields are the parts of a node's platform that must agree within
// a pool, named as the node status names them.
var platformFields = []struct {
	name string
	get  func(*model.Platform) string
}{
	{"osImage", func(p *model.Platform) string { return p.OSImage }},
	{"kernelVersion", func(p *model.Platform) string { return p.Kernel }},
	{"containerRuntimeVersion", func(p *model.Platform) string { return p.Runtime }},
	{"kubeletVersion", func(p *model.Platform) string { return p.Kubelet }},
}

// nodeImageSkew groups the instances with a platform by pool and reports,
// per pool and field, when they disagree. Instances in no pool and empty
// values (a node that has not reported yet) are left out. The finding is
// located at the first instance with the least common value — the odd one
// out.
func nodeImageSkew(p *Pass) {
	type pool struct{ label, value string }
	var order []pool
	members := map[pool][]*model.Instance{}
	for _, in := range p.File.Instances {
		if in.Platform == nil || in.Platform.PoolLabel == "" {
			continue
		}
		k := pool{in.Platform.PoolLabel, in.Platform.Pool}
		if members[k] == nil {
			order = append(order, k)
		}
		members[k] = append(members[k], in)
	}
	for _, k := range order {
		for _, f := range platformFields {
			byValue := map[string][]*model.Instance{}
			for _, in := range members[k] {
				if v := f.get(in.Platform); v != "" {
					byValue[v] = append(byValue[v], in)
				}
			}
			if len(byValue) > 1 {
				reportPool(p, k.label+"="+k.value, f.name, byValue)
			}
		}
	}
}

// reportPool describes the values of one field in one pool.
func reportPool(p *Pass, pool, field string, byValue map[string][]*model.Instance) {
	values := make([]string, 0, len(byValue))
	for v := range byValue {
		values = append(values, v)
	}
	// Most common first; the last is the odd one out.
	slices.SortFunc(values, func(a, b string) int {
		if n := len(byValue[b]) - len(byValue[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(values))
	for i, v := range values {
		names := make([]string, len(byValue[v]))
		for j, in := range byValue[v] {
			names[j] = instanceName(in)
		}
		slices.Sort(names)
		parts[i] = fmt.Sprintf("%q on %s (%s)", v, plural(len(names), "node"), nameList(names))
	}
	odd := slices.Clone(byValue[values[len(values)-1]])
	slices.SortFunc(odd, func(a, b *model.Instance) int { return strings.Compare(instanceName(a), instanceName(b)) })
	p.Reportf("node pool "+pool+" "+field, odd[0].Ignores, odd[0].Location, "nodes of pool %s report %d different %s values: %s",
		pool, len(values), field, strings.Join(parts, "; "))
	p.findings[len(p.findings)-1].Object = odd[0].Object
}
