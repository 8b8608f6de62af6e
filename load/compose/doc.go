// Package compose loads Compose files (compose.yaml, docker-compose.yml)
// into one model.Workload per service.
//
// Loading is compose-go's, the reference implementation of the Compose
// specification used by `docker compose`: schema validation, extends,
// include, merge and profile semantics are the spec's. All services are
// loaded, whatever their profiles.
//
// The result must not depend on the machine that runs the check:
//
//   - Interpolation never reads the process environment. Variables come only
//     from a .env file next to the compose file. A variable that is unset
//     and has no default is left written as ${NAME}, so an image reference
//     that depends on it stays visibly unresolved instead of silently
//     becoming a different image. Where a kept ${NAME} makes the file
//     invalid (a port "${PORT}:80"), the file is loaded with the spec's
//     rule (unset is empty), except for image references.
//   - include and extends may only read files inside the compose file's
//     directory tree; nothing is fetched over the network (compose-go's
//     git and OCI loaders are not enabled).
//   - env_file and label_file are not read: the rules do not need them.
//
// compose-go keeps no positions, so the file is also parsed into YAML nodes
// (with go.yaml.in/yaml/v4, the YAML library compose-go uses) to locate
// services and their fields; that walk never follows aliases. Comments
// "# immutcheck:ignore <rule>[,<rule>] <reason>" above a service or a field
// are suppressions for the line below them (in the compose file itself, not
// in files it includes).
//
// Each service becomes a Workload with one Container: image, command and
// entrypoint (a string as a Shell script, a list as Args), post_start
// hooks, healthcheck, read_only, privileged, cap_add, ports and expose (a
// port or published range containing 22 is recorded as 22), bind mounts as
// HostPaths, and pid/network_mode/ipc "host" as HostNamespaces.
package compose
