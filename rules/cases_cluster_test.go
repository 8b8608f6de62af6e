package rules

// clusterCases are the unit cases of the rules that judge pods and nodes
// as the API server reports them.
var clusterCases = map[*Rule]modelCase{}
