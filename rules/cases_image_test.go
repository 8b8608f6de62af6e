package rules

// imageCases are the unit cases of the rules that judge what registries
// say about declared images.
var imageCases = map[*Rule]modelCase{}
