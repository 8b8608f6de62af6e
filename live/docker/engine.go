package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Engine is the part of the Docker Engine API this package reads with
// (and creates and removes the unstarted probe containers of images with);
// *client.Client implements it, tests use fakes.
type Engine interface {
	ContainerList(ctx context.Context, options container.ListOptions) ([]container.Summary, error)
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
	ContainerDiff(ctx context.Context, id string) ([]container.FilesystemChange, error)
	ContainerTop(ctx context.Context, id string, args []string) (container.TopResponse, error)
	ContainerExecInspect(ctx context.Context, execID string) (container.ExecInspect, error)
	CopyFromContainer(ctx context.Context, id, srcPath string) (io.ReadCloser, container.PathStat, error)
	ImageInspect(ctx context.Context, id string, opts ...client.ImageInspectOption) (image.InspectResponse, error)
	ContainerCreate(ctx context.Context, config *container.Config, host *container.HostConfig, net *network.NetworkingConfig, platform *ocispec.Platform, name string) (container.CreateResponse, error)
	ContainerRemove(ctx context.Context, id string, options container.RemoveOptions) error
	Events(ctx context.Context, options events.ListOptions) (<-chan events.Message, <-chan error)
}

// ErrUnreachable wraps every failure to reach the engine: socket missing,
// permission denied, daemon not answering, API version not supported.
var ErrUnreachable = errors.New("docker engine unreachable")

// Connect opens a client from the environment (DOCKER_HOST, DOCKER_CERT_PATH,
// DOCKER_TLS_VERIFY; the local socket by default), negotiates the API
// version and checks that the engine answers.
func Connect(ctx context.Context) (*client.Client, error) {
	base, err := client.NewClientWithOpts(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	// The same transport (socket dialer, TLS from the environment), with
	// JSON responses bounded.
	hc := base.HTTPClient()
	base.Close()
	if hc.Transport == nil {
		hc.Transport = http.DefaultTransport
	}
	hc.Transport = limitTransport{next: hc.Transport}
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithHTTPClient(hc), client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	if _, err := c.Ping(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, c.DaemonHost(), err)
	}
	c.NegotiateAPIVersion(ctx)
	return c, nil
}
