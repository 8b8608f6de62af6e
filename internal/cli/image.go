package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/registry"
	"github.com/immutcheck/immutcheck/rules"
)

// registryFlags are the verification flags shared by `image verify` and
// `scan --registry`; names follow cosign's where they overlap.
type registryFlags struct {
	Keys              []string
	Identity          string
	IdentityRegexp    string
	OIDCIssuer        string
	TrustedRoot       string
	Types             []string
	Insecure          []string
	Previous          []string
	AllowedRegistries []string
}

// imageVerifyOptions are the settings of `image verify`, free of flags.
type imageVerifyOptions struct {
	Refs   []string
	Output outputOptions
	// Policy names the config file ("" searches upward from the current
	// directory), the disabled rules and the allowed registries.
	Policy   policyFlags
	Registry registryFlags
}

func newImageCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "image",
		Short: "Check images against their registries",
	}
	cmd.AddCommand(newImageVerifyCmd())
	return cmd
}

func newImageVerifyCmd() *cobra.Command {
	var opts imageVerifyOptions
	cmd := &cobra.Command{
		Use:   "verify REF...",
		Short: "Verify images: digest, signature, provenance, vulnerability scan, previous releases",
		Long: `Verify resolves each image reference to a digest once, checks that the
registry serves exactly that digest, and checks the cosign signatures and
in-toto attestations attached to it against the registry policy
(the registry: section of .immutcheck.yaml) and the flags.

Plain HTTP is used only for hosts named with --insecure-registry.
Credentials come from the docker config and credential helpers and are
only sent to the registry they belong to. See docs/registry.md.

` + exitCodesHelp,
		Example: `  immutcheck image verify --key cosign.pub ghcr.io/acme/shop:1.4.2@sha256:...
  immutcheck image verify --key cosign.pub --type slsaprovenance --type vuln ghcr.io/acme/shop:1.4.2
  immutcheck image verify --certificate-identity-regexp 'https://github\.com/acme/.+' \
      --certificate-oidc-issuer https://token.actions.githubusercontent.com \
      --trusted-root trusted_root.json ghcr.io/acme/shop@sha256:...`,
		Args: cobra.MinimumNArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.Refs = args
			return runImageVerify(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		}),
	}
	f := cmd.Flags()
	opts.Output.addFlags(f)
	opts.Policy.addFlags(f, "the current directory")
	opts.Policy.addRegistryFlag(f)
	opts.Registry.addFlags(cmd)
	return cmd
}

// addFlags registers the verification flags on cmd (image verify, and
// scan when it adds --registry). --allowed-registry is a policy flag
// (policyFlags); callers copy its value into AllowedRegistries.
func (r *registryFlags) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVar(&r.Keys, "key", nil, "trusted public key (PEM, cosign.pub) for signatures and attestations (repeatable)")
	f.StringVar(&r.Identity, "certificate-identity", "", "keyless: exact certificate subject (SAN) trusted to sign")
	f.StringVar(&r.IdentityRegexp, "certificate-identity-regexp", "", "keyless: regular expression the whole certificate subject must match")
	f.StringVar(&r.OIDCIssuer, "certificate-oidc-issuer", "", "keyless: OIDC issuer of the signing certificate")
	f.StringVar(&r.TrustedRoot, "trusted-root", "", "keyless: sigstore trusted_root.json to verify bundles against, offline")
	f.StringArrayVar(&r.Types, "type", nil, "required attestation type: slsaprovenance, slsaprovenance02, slsaprovenance1 or vuln (repeatable)")
	f.StringArrayVar(&r.Insecure, "insecure-registry", nil, "registry host:port that may be reached over plain HTTP (repeatable)")
	f.StringArrayVar(&r.Previous, "previous", nil, "previous release that must still resolve and pass the signature policy (repeatable)")
}

// policy merges the config's registry policy with the flags. Relative key
// and root paths in the config are relative to the config's directory.
func (r registryFlags) policy(cfg *config.Config) (registry.Policy, error) {
	p := cfg.Registry
	rel := func(s string) string {
		if s == "" || filepath.IsAbs(s) || cfg.Dir == "" {
			return s
		}
		return filepath.Join(cfg.Dir, s)
	}
	keys := make([]string, 0, len(p.Keys)+len(r.Keys))
	for _, k := range p.Keys {
		keys = append(keys, rel(k))
	}
	p.Keys = append(keys, r.Keys...)
	p.TrustedRoot = rel(p.TrustedRoot)
	if r.TrustedRoot != "" {
		p.TrustedRoot = r.TrustedRoot
	}
	if r.Identity != "" || r.IdentityRegexp != "" || r.OIDCIssuer != "" {
		if r.OIDCIssuer == "" {
			return p, usagef("--certificate-identity needs --certificate-oidc-issuer")
		}
		p.Keyless = append(append([]registry.Identity(nil), p.Keyless...), registry.Identity{Issuer: r.OIDCIssuer, Subject: r.Identity, SubjectRegExp: r.IdentityRegexp})
	}
	p.Attestations = append(append([]string(nil), p.Attestations...), r.Types...)
	p.InsecureRegistries = append(append([]string(nil), p.InsecureRegistries...), r.Insecure...)
	p.TrustedRegistries = append(append(append([]string(nil), p.TrustedRegistries...), cfg.AllowedRegistries...), r.AllowedRegistries...)
	if len(p.Keys) == 0 && len(p.Keyless) == 0 {
		return p, usagef("no trust material: give --key, or --certificate-identity with --certificate-oidc-issuer and --trusted-root, or keys in the registry: section of %s", config.FileName)
	}
	return p, nil
}

// verifyRegistry is the hook of `scan --registry` and the body of `image
// verify`: it reads what the registries say about arts (as collected with
// registry.ArtifactsOf) and about the previous releases named with
// --previous, and returns the findings of pol's evaluator, which it first
// gives what the registry policy expects. The images found verified are
// listed on stderr.
func verifyRegistry(ctx context.Context, pol *policy, flags registryFlags, arts []model.Artifact, stderr io.Writer) ([]rules.Finding, error) {
	p, err := flags.policy(pol.cfg)
	if err != nil {
		return nil, err
	}
	v, warns, err := registry.NewVerifier(p, registry.ClientOptions{})
	if err != nil {
		return nil, &usageError{fmt.Errorf("registry policy: %w", err)}
	}
	if err := pol.expectFromRegistry(p); err != nil {
		return nil, err
	}
	for _, w := range warns {
		fmt.Fprintf(stderr, "immutcheck: warning: registry policy: %s\n", w)
	}
	results := v.Verify(ctx, arts)
	if len(flags.Previous) > 0 {
		prev := make([]model.Artifact, len(flags.Previous))
		for i, ref := range flags.Previous {
			prev[i] = model.NewArtifact(ref, model.Location{})
		}
		results = append(results, v.VerifyPrevious(ctx, prev)...)
	}
	f := &model.File{Path: "registry"}
	for _, r := range results {
		f.Images = append(f.Images, r.Images...)
		f.Problems = append(f.Problems, r.Problems...)
	}
	found := pol.ev.Evaluate(f)
	printVerified(results[:len(arts)], found, stderr)
	return found, nil
}

// expectFromRegistry gives the policy's evaluator what the registry policy
// expects of images: trusted registries, provenance, scan age and
// threshold, previous releases.
func (p *policy) expectFromRegistry(rp registry.Policy) error {
	th := ""
	if rp.SeverityThreshold != "" {
		var err error
		if th, err = model.ParseScanSeverity(rp.SeverityThreshold); err != nil {
			return &usageError{fmt.Errorf("registry policy: %w", err)}
		}
	}
	return p.setOptions(func(o *rules.Options) {
		o.Registry = rules.RegistryOptions{
			Trusted:           rp.TrustedRegistries,
			Provenance:        rp.Provenance,
			MaxScanAge:        time.Duration(rp.MaxScanAge),
			SeverityThreshold: th,
			PreviousRevisions: rp.PreviousRevisions,
		}
	})
}

// printVerified lists on stderr the images that resolved and about which
// nothing was found, with their platforms.
func printVerified(results []registry.Result, found []rules.Finding, stderr io.Writer) {
	named := map[string]bool{}
	for _, f := range found {
		named[f.Subject] = true
	}
	for _, r := range results {
		if len(r.Images) == 0 || r.Images[0].Digest == "" || len(r.Problems) > 0 {
			continue
		}
		ok := true
		for _, c := range r.Images {
			subject := c.Subject
			if subject == "" {
				subject = "image " + c.Artifact.Ref
			}
			ok = ok && !named[subject]
		}
		if !ok {
			continue
		}
		fmt.Fprintf(stderr, "verified %s (%s)\n", r.Artifact.Ref, r.Images[0].Digest)
		for _, p := range r.Images[0].Platforms {
			fmt.Fprintf(stderr, "  platform %s\n", p)
		}
	}
}

// runImageVerify is `image verify` without flags.
func runImageVerify(ctx context.Context, opts imageVerifyOptions, stdout, stderr io.Writer) error {
	pol, err := newPolicy(opts.Output, opts.Policy, []string{"."})
	if err != nil {
		return err
	}
	arts := make([]model.Artifact, len(opts.Refs))
	for i, ref := range opts.Refs {
		arts[i] = model.NewArtifact(ref, model.Location{})
	}
	flags := opts.Registry
	flags.AllowedRegistries = append(flags.AllowedRegistries, opts.Policy.AllowedRegistries...)
	found, err := verifyRegistry(ctx, pol, flags, arts, stderr)
	if err != nil {
		return err
	}
	code, err := pol.report(rules.Images, found, len(opts.Refs)+len(opts.Registry.Previous), stdout)
	if err != nil {
		return err
	}
	return &exitError{code}
}
