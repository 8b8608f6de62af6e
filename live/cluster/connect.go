package cluster

import (
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// ConnectOptions choose the cluster and credentials, as kubectl does.
type ConnectOptions struct {
	// Kubeconfig is a kubeconfig file; empty means KUBECONFIG, then
	// ~/.kube/config, then the in-cluster service account.
	Kubeconfig string
	// Context is the kubeconfig context; empty means the current one.
	Context string
	// Version is the tool's version, for the User-Agent.
	Version string
	// QPS and Burst bound the request rate; zero means 50 and 100.
	QPS   float32
	Burst int
	// Timeout bounds each request; zero means 60 s.
	Timeout time.Duration
}

// Conn is a connection to one cluster.
type Conn struct {
	Client kubernetes.Interface
	Config *rest.Config
	// Namespace is the default namespace of the context ("default" when
	// it names none; the pod's namespace in a cluster).
	Namespace string
	// Server is the API server's URL, for messages.
	Server string
}

// protobuf is the content type of the built-in types in Protocol Buffers:
// several times faster to decode than JSON and about half the size.
const protobuf = runtime.ContentTypeProtobuf

// Connect builds a client from the kubeconfig loading rules of kubectl:
// --kubeconfig, else KUBECONFIG (a list of files, merged), else
// ~/.kube/config, else the in-cluster configuration. It does not contact
// the server.
func Connect(o ConnectOptions) (*Conn, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.Kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.Context})
	cfg, err := cc.ClientConfig()
	if clientcmd.IsEmptyConfig(err) {
		return nil, errors.New("no kubeconfig (--kubeconfig, KUBECONFIG or ~/.kube/config) and not running in a cluster")
	}
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	ns, _, err := cc.Namespace()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg = rest.CopyConfig(cfg)
	cfg.ContentType = protobuf
	cfg.AcceptContentTypes = protobuf + ",application/json"
	cfg.QPS, cfg.Burst = o.QPS, o.Burst
	if cfg.QPS == 0 {
		cfg.QPS = 50
	}
	if cfg.Burst == 0 {
		cfg.Burst = 100
	}
	cfg.Timeout = o.Timeout
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	v := o.Version
	if v == "" {
		v = "devel"
	}
	cfg.UserAgent = "immutcheck/" + v
	// Deprecation warnings of the API are not the user's findings.
	cfg.WarningHandler = rest.NoWarnings{}
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	return &Conn{Client: c, Config: cfg, Namespace: ns, Server: cfg.Host}, nil
}
