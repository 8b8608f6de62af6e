package rules

// hostCases are the unit cases of the rules that judge containers and
// hosts read through their runtime or filesystem: the drift rules,
// foreign-process, running-digest-mismatch on a container.
var hostCases = map[*Rule]modelCase{}
