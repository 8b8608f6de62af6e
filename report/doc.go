// Package report renders the findings of a check in the formats users and
// their tools read: text for people, JSON for scripts, SARIF for code
// scanning dashboards, JUnit XML for CI test views, and Kubernetes
// PolicyReport objects (YAML) for the cluster's own policy dashboards.
//
// Every format draws on one Report value and one Summary computed from it,
// so the numbers agree across formats. Renderers never change the Report.
//
// Subjects, messages and paths come from the files being checked and are
// attacker-controlled. Each renderer neutralises them for its format: text
// output shows control characters as visible escapes (\x1b, \n) so that a
// crafted name cannot hide, fake or recolour lines; JSON and SARIF rely on
// encoding/json, which escapes control characters and replaces invalid
// UTF-8; PolicyReport YAML double-quotes and escapes them; JUnit output
// is well-formed XML 1.0 whatever the input.
package report
