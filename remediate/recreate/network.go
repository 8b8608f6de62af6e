package recreate

import (
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
)

// networkingFor builds the networking config of a create call: API
// versions before 1.44 accept a single endpoint, so only the primary
// network is given there and the others are connected before start.
type networkingFor struct{ spec *Spec }

func (n *networkingFor) primary() *network.NetworkingConfig {
	ep := n.spec.Networks[n.spec.Primary]
	if ep == nil || isSpecialNetwork(n.spec.Host.NetworkMode) {
		return nil
	}
	return &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{n.spec.Primary: ep}}
}

// isSpecialNetwork reports network modes that have no endpoints to copy:
// host, none, and sharing another container's network.
func isSpecialNetwork(m container.NetworkMode) bool {
	return m.IsHost() || m.IsNone() || m.IsContainer()
}
