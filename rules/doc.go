// Package rules is immutcheck's rule catalog and its evaluator.
//
// Every rule is a documented value of type Rule; the catalog is the explicit
// slice returned by All. There is no registration at init time: a rule exists
// when it is in that list. Rules are pure functions of the model: they read a
// model.File through a Pass and report Findings. They do no I/O.
//
// Rules fall into six groups, the six questions of an immutable
// infrastructure check (artifact, disposable, drift, declarative, rollback,
// baseline), plus the input group for what could not be checked.
package rules
