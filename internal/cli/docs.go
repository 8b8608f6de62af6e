package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/rules"
)

// newDocsCmd generates docs/rules from the catalog. It is hidden: it is for
// maintainers ("make docs"), and a test fails when the committed docs are
// stale.
func newDocsCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:    "docs",
		Short:  "Generate the rule reference (docs/rules)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: wrap(func(cmd *cobra.Command, _ []string) error {
			return writeRuleDocs(out)
		}),
	}
	cmd.Flags().StringVar(&out, "out", "docs/rules", "directory to write")
	return cmd
}

// ruleDocs returns the generated files by name.
func ruleDocs() map[string]string {
	all := rules.All()
	files := map[string]string{"README.md": catalogMarkdown(all)}
	for _, r := range all {
		files[r.ID+".md"] = ruleMarkdown(r)
	}
	return files
}

func writeRuleDocs(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write docs: %w", err)
	}
	for name, content := range ruleDocs() {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return fmt.Errorf("write docs: %w", err)
		}
	}
	return nil
}

const generatedNote = "<!-- Generated from the rule catalog by `make docs`; do not edit. -->\n\n"

func catalogMarkdown(all []*rules.Rule) string {
	var b strings.Builder
	b.WriteString(generatedNote)
	b.WriteString("# Rule reference\n\nEvery rule belongs to one group; reports are grouped by them. Rule IDs are stable.\n")
	for _, g := range rules.Groups {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n\n| rule | severity | title |\n|---|---|---|\n", g, g.Question())
		for _, r := range all {
			if r.Group == g {
				fmt.Fprintf(&b, "| [`%s`](%s.md) | %s | %s |\n", r.ID, r.ID, r.Severity, r.Title)
			}
		}
	}
	return b.String()
}

// sourceNames says, for each part of the model a rule reads, what it is
// and which commands provide it.
func sourceNames(s rules.Source) []string {
	var out []string
	for _, p := range []struct {
		s    rules.Source
		name string
	}{
		{rules.Declarations, "declarations (`scan`; the live pod templates in `cluster`; the containers' settings in `docker`)"},
		{rules.Pods, "pods and nodes (`cluster`)"},
		{rules.Containers, "containers and hosts (`docker`, `drift`)"},
		{rules.Images, "images in their registries (`image verify`, `scan --registry`, `cluster --registry`)"},
	} {
		if s&p.s != 0 {
			out = append(out, p.name)
		}
	}
	return out
}

func ruleMarkdown(r *rules.Rule) string {
	var b strings.Builder
	b.WriteString(generatedNote)
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "- **Group:** `%s` — %s\n", r.Group, r.Group.Question())
	fmt.Fprintf(&b, "- **Default severity:** %s\n", r.Severity)
	fmt.Fprintf(&b, "- **Principle:** %s\n", r.Principle)
	fmt.Fprintf(&b, "- **Judges:** %s\n", strings.Join(sourceNames(r.Reads), "; "))
	if r.CouldNotCheck {
		b.WriteString("- **Could not check:** its findings make the run exit 3, whatever their severity.\n")
	}
	if r.Locked != "" {
		fmt.Fprintf(&b, "- **Cannot be disabled or lowered:** %s.\n", r.Locked)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "## Why\n\n%s\n\n## Fix\n\n%s\n\n", r.Rationale, r.Remediation)
	fmt.Fprintf(&b, "## Suppress\n\nWhen an exception is justified, say why next to the declaration:\n\n")
	fmt.Fprintf(&b, "```yaml\nmetadata:\n  annotations:\n    immutcheck.dev/ignore: \"%s: <reason>\"\n```\n\n", r.ID)
	fmt.Fprintf(&b, "or, in a Dockerfile or compose file, on the line above:\n\n```\n# immutcheck:ignore %s <reason>\n```\n", r.ID)
	return b.String()
}
