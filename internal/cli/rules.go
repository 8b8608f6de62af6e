package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/rules"
)

func newRulesCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog",
		Args:  cobra.NoArgs,
		RunE: wrap(func(cmd *cobra.Command, _ []string) error {
			return runRules(format, cmd.OutOrStdout())
		}),
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

func runRules(format string, w io.Writer) error {
	all := rules.All()
	switch format {
	case "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "GROUP\tRULE\tSEVERITY\tTITLE")
		for _, g := range rules.Groups {
			for _, r := range all {
				if r.Group == g {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Group, r.ID, r.Severity, r.Title)
				}
			}
		}
		return tw.Flush()
	case "json":
		type jsonRule struct {
			ID          string `json:"id"`
			Group       string `json:"group"`
			Severity    string `json:"severity"`
			Title       string `json:"title"`
			Rationale   string `json:"rationale"`
			Remediation string `json:"remediation"`
			Principle   string `json:"principle"`
			// Judges names what the rule reads and which commands run it.
			Judges []string `json:"judges"`
			// Locked says why the rule can be neither disabled nor lowered.
			Locked string `json:"locked,omitempty"`
			// CouldNotCheck is true when its findings make the run exit 3.
			CouldNotCheck bool `json:"couldNotCheck,omitempty"`
		}
		out := make([]jsonRule, 0, len(all))
		for _, r := range all {
			out = append(out, jsonRule{r.ID, string(r.Group), r.Severity.String(), r.Title, r.Rationale, r.Remediation, r.Principle,
				sourceNames(r.Reads), r.Locked, r.CouldNotCheck})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"rules": out})
	case "markdown":
		_, err := io.WriteString(w, catalogMarkdown(all))
		return err
	}
	return usagef("--format: %q is not text, json or markdown", format)
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain one rule: why it matters and how to fix it",
		Args:  cobra.ExactArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			r := rules.ByID(args[0])
			if r == nil {
				return usagef("no rule %q; run 'immutcheck rules' for the list", args[0])
			}
			_, err := io.WriteString(cmd.OutOrStdout(), explainText(r))
			return err
		}),
	}
}

func explainText(r *rules.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "Group:     %s (%s)\n", r.Group, r.Group.Question())
	fmt.Fprintf(&b, "Severity:  %s\n", r.Severity)
	fmt.Fprintf(&b, "Principle: %s\n\n", r.Principle)
	fmt.Fprintf(&b, "Why:\n%s\n", wrapText(r.Rationale, "  ", 78))
	fmt.Fprintf(&b, "Fix:\n%s", wrapText(r.Remediation, "  ", 78))
	return b.String()
}

// wrapText breaks s into lines of at most width columns, each indented.
func wrapText(s, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(s) {
		if len(line) > len(indent) && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}
