package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/drift/baseline"
)

// baselineSignOptions are the settings of baseline sign and verify.
type baselineSignOptions struct {
	File      string
	Key       string
	Signature string
	State     string
	Out       string
}

func newBaselineSignCmd() *cobra.Command {
	var opts baselineSignOptions
	cmd := &cobra.Command{
		Use:   "sign FILE --key KEY",
		Short: "Sign a baseline with an ed25519 or ECDSA P-256 private key (writes FILE.sig)",
		Long: `The signature is detached and base64-encoded, the format of cosign sign-blob:
a baseline signed with "cosign sign-blob --key cosign.key FILE" verifies with
cosign.pub as well. KEY is a PKCS#8 PEM private key, e.g. from
"immutcheck baseline keygen" or "openssl genpkey -algorithm ed25519".`,
		Args: cobra.ExactArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runBaselineSign(opts, cmd.OutOrStdout())
		}),
	}
	cmd.Flags().StringVar(&opts.Key, "key", "", "private key (PEM, required)")
	cmd.Flags().StringVar(&opts.Signature, "signature", "", "signature file to write (default FILE.sig)")
	cmd.MarkFlagRequired("key")
	return cmd
}

func runBaselineSign(opts baselineSignOptions, stdout io.Writer) error {
	signer, err := loadSigner(opts.Key)
	if err != nil {
		return err
	}
	data, err := baseline.ReadFile(opts.File, baseline.MaxFileSize)
	if err != nil {
		return fmt.Errorf("read baseline: %w", err)
	}
	// Never sign something that is not a well-formed baseline; its
	// entries are checked one at a time, none kept.
	if _, _, err := baseline.Check(data); err != nil {
		return err
	}
	if err := signFile(signer, opts.File, data, opts.Signature); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "signed %s\n", opts.File)
	return nil
}

func newBaselineVerifyCmd() *cobra.Command {
	var opts baselineSignOptions
	cmd := &cobra.Command{
		Use:   "verify FILE --key PUBKEY",
		Short: "Verify a baseline's signature, integrity and generation",
		Long: `Exit status: 0 when the baseline is intact, signed by the key and not older
than a generation already seen (--state); 3 otherwise.`,
		Args: cobra.ExactArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			return runBaselineVerify(opts, cmd.OutOrStdout())
		}),
	}
	f := cmd.Flags()
	f.StringVar(&opts.Key, "key", "", "public key (PEM: ed25519, or ECDSA P-256 such as cosign.pub; required)")
	f.StringVar(&opts.Signature, "signature", "", "signature file (default FILE.sig)")
	f.StringVar(&opts.State, "state", "", `generation state file for the rollback check ("" = no check)`)
	cmd.MarkFlagRequired("key")
	return cmd
}

func runBaselineVerify(opts baselineSignOptions, stdout io.Writer) error {
	v, err := loadVerifier(opts.Key)
	if err != nil {
		return err
	}
	// Open, not Load: the entries are read one at a time and none kept, so
	// memory does not grow with their number.
	b, err := baseline.Open(opts.File, baseline.LoadOptions{Verifier: v, SignatureFile: opts.Signature, StateFile: opts.State})
	if err != nil {
		return err
	}
	defer b.Reader.Close()
	entries := 0
	for {
		en, err := b.Reader.Next()
		if err != nil {
			return err
		}
		if en == nil {
			break
		}
		entries++
	}
	snap, err := b.Reader.Finish()
	if err != nil {
		return err
	}
	h := b.Header
	fmt.Fprintf(stdout, "baseline %s: signature OK (key %s)\n  source      %s\n  digest      %s\n  created     %s by immutcheck %s\n  generation  %d\n  entries     %d, packages %d\n",
		opts.File, b.KeyID, h.Source, orDash(h.Digest), h.Created.Format("2006-01-02T15:04:05Z07:00"), h.ToolVersion, h.Generation, entries, len(snap.Packages))
	return nil
}

func newBaselineKeygenCmd() *cobra.Command {
	var prefix string
	cmd := &cobra.Command{
		Use:   "keygen --out PREFIX",
		Short: "Generate an ed25519 key pair: PREFIX.key (private) and PREFIX.pub",
		Args:  cobra.NoArgs,
		RunE: wrap(func(cmd *cobra.Command, _ []string) error {
			priv, pub, err := baseline.GenerateKey()
			if err != nil {
				return err
			}
			if _, err := os.Lstat(prefix + ".key"); err == nil {
				return usagef("%s.key exists; not overwriting a private key", prefix)
			}
			if err := baseline.WriteFile(prefix+".key", priv, 0o600); err != nil {
				return err
			}
			if err := baseline.WriteFile(prefix+".pub", pub, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s.key and %s.pub\n", prefix, prefix)
			return nil
		}),
	}
	cmd.Flags().StringVar(&prefix, "out", "baseline", "path prefix of the key files")
	return cmd
}

func loadSigner(name string) (*baseline.Signer, error) {
	b, err := baseline.ReadFile(name, 1<<16)
	if err != nil {
		return nil, usagef("read signing key: %v", err)
	}
	s, err := baseline.LoadSigner(b)
	if err != nil {
		return nil, &usageError{err}
	}
	return s, nil
}

func loadVerifier(name string) (*baseline.Verifier, error) {
	b, err := baseline.ReadFile(name, 1<<16)
	if err != nil {
		return nil, usagef("read public key: %v", err)
	}
	v, err := baseline.LoadVerifier(b)
	if err != nil {
		return nil, &usageError{err}
	}
	return v, nil
}

// signFile writes the detached signature of data next to the baseline.
func signFile(s *baseline.Signer, file string, data []byte, sigFile string) error {
	sig, err := s.Sign(data)
	if err != nil {
		return err
	}
	if sigFile == "" {
		sigFile = file + ".sig"
	}
	return baseline.WriteFile(sigFile, append(sig, '\n'), 0o644)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
