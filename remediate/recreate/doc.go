// Package recreate replaces drifted Docker containers: each is recreated
// from the same image ID with the same configuration (command,
// environment, labels, mounts with anonymous volumes kept, ports, restart
// policy, networks and aliases), started, and its healthcheck awaited;
// only then is the old one removed. A new container that fails is removed
// and the old one gets its name back and runs again. Replacements run one
// at a time, at most one per Remediator.Gap.
package recreate
