package cli

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/report"
	"github.com/immutcheck/immutcheck/rules"
)

// policyFlags are the policy flags every checking command shares. Lists
// split on commas and repeat, the same in every command.
type policyFlags struct {
	ConfigPath        string
	Disable           []string
	AllowedRegistries []string
}

// addFlags adds --config and --disable; configFrom says where the config is
// looked for by default.
func (p *policyFlags) addFlags(f *pflag.FlagSet, configFrom string) {
	f.StringVar(&p.ConfigPath, "config", "", "config file (default: "+config.FileName+" found upward from "+configFrom+")")
	f.StringSliceVar(&p.Disable, "disable", nil, "do not run this rule (repeatable, or comma-separated)")
}

// addRegistryFlag adds --allowed-registry, for the commands that judge
// image references.
func (p *policyFlags) addRegistryFlag(f *pflag.FlagSet) {
	f.StringSliceVar(&p.AllowedRegistries, "allowed-registry", nil, "allow images only from this registry or registry/path prefix (repeatable, or comma-separated; adds to the config)")
}

// policy is the one policy value of a run: the config, the evaluator with
// its enabled rules and severities, and the fail-on threshold. Every
// command builds it with newPolicy and reports with (*policy).report, so
// that the same flags mean the same everywhere.
type policy struct {
	cfg      *config.Config
	settings rules.Settings
	ev       *rules.Evaluator
	failOn   rules.Severity
	out      outputOptions
}

// newPolicy validates the output flags, reads the config (pf.ConfigPath, or
// the one found upward from the first of paths) and merges it with the
// flags. Every error is a usage error: an unknown rule, a rule that cannot
// be disabled, a bad severity.
func newPolicy(out outputOptions, pf policyFlags, paths []string) (*policy, error) {
	if err := out.validate(); err != nil {
		return nil, err
	}
	cfg, err := loadConfig(pf.ConfigPath, paths)
	if err != nil {
		return nil, err
	}
	settings, failOn, err := settingsFrom(cfg, out.FailOn, pf.Disable, pf.AllowedRegistries)
	if err != nil {
		return nil, err
	}
	ev, err := rules.NewEvaluator(rules.All(), settings)
	if err != nil {
		return nil, &usageError{err}
	}
	return &policy{cfg: cfg, settings: settings, ev: ev, failOn: failOn, out: out}, nil
}

// setOptions changes the options the rules read, for settings that come
// from a command's own flags or from the registry policy, and rebuilds the
// evaluator with them.
func (p *policy) setOptions(set func(*rules.Options)) error {
	s := p.settings
	set(&s.Options)
	ev, err := rules.NewEvaluator(rules.All(), s)
	if err != nil {
		return &usageError{err}
	}
	p.settings, p.ev = s, ev
	return nil
}

// report sorts findings, writes them with the rules that read what the
// command provides, and returns the exit code of their verdict. inputs is
// the report's count of inputs checked.
func (p *policy) report(provided rules.Source, findings []rules.Finding, inputs int, stdout io.Writer) (int, error) {
	rules.Sort(findings)
	r := &report.Report{
		Tool:     report.Tool{Name: "immutcheck", Version: toolVersion(), InformationURI: "https://github.com/immutcheck/immutcheck"},
		Rules:    p.ev.Rules(provided),
		Findings: findings,
		Files:    inputs,
		FailOn:   p.failOn,
	}
	if err := p.out.write(r, stdout); err != nil {
		return 0, err
	}
	return exitFor(rules.Decide(findings, p.failOn)), nil
}

// exitFor is the exit code of a verdict.
func exitFor(v rules.Verdict) int {
	switch v {
	case rules.Failed:
		return ExitFindings
	case rules.CouldNotCheck:
		return ExitCouldNotCheck
	}
	return ExitClean
}
