// Package pulumi loads the planned changes of a Pulumi preview: the output
// of `pulumi preview --json` (a document with "steps" and "changeSummary")
// and the engine event log written by `pulumi preview --event-log`
// (newline-delimited JSON events; resourcePreEvent carries each step).
//
// Steps are grouped by resource URN into one model.PlannedChange each. A
// replacement appears as several steps (create-replacement, replace,
// delete-replaced); their order tells create-before-delete from
// delete-before-replace. Only the names of changed properties are kept:
// property values, which may be secrets, are never decoded.
package pulumi
