package model

// The vocabulary of programs that every source and rule shares, by base
// name, so that a shell or an SSH server means the same in a Dockerfile, a
// pod's command, a Docker container's processes and a host's.

// shells are the interactive shells. busybox is listed as false: it is a
// shell only when called as one (sh, ash), which its link name says.
var shells = map[string]bool{"sh": true, "bash": true, "ash": true, "dash": true, "zsh": true, "ksh": true, "mksh": true, "fish": true, "csh": true, "tcsh": true, "busybox": false}

// remoteAccess are the remote-access daemons.
var remoteAccess = map[string]bool{"sshd": true, "dropbear": true}

// IsShell reports whether prog, a program's base name, is an interactive
// shell.
func IsShell(prog string) bool { return shells[prog] }

// IsRemoteAccess reports whether prog, a program's base name, is a
// remote-access daemon (an SSH server).
func IsRemoteAccess(prog string) bool { return remoteAccess[prog] }
