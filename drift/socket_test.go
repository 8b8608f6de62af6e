package drift

import "net"

func unixListen(p string) (net.Listener, error) { return net.Listen("unix", p) }
