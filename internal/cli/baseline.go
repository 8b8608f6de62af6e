package cli

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
	"github.com/immutcheck/immutcheck/drift/image"
)

// defaultStateFile keeps the highest baseline generation seen per key.
const defaultStateFile = "/var/lib/immutcheck/baseline-generations.json"

// baselineCreateOptions are the settings of baseline create.
type baselineCreateOptions struct {
	Source           string
	Output           string
	Generation       uint64
	SignKey          string
	CrossFilesystems bool
	Ignore, Include  []string
}

func newBaselineCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Create, sign and verify the golden-image baselines that drift compares hosts with",
		Long: `A baseline records every path of an image — type, mode, owner, size,
SHA-256, symlink target, device numbers, file capabilities — and its package
and account databases. Build it from the image in CI, sign it, ship it with
the image, and run "immutcheck drift" on the hosts.`,
	}
	cmd.AddCommand(newBaselineCreateCmd(), newBaselineSignCmd(), newBaselineVerifyCmd(), newBaselineKeygenCmd())
	return cmd
}

func newBaselineCreateCmd() *cobra.Command {
	var opts baselineCreateOptions
	cmd := &cobra.Command{
		Use:   "create SOURCE -o FILE",
		Short: "Record a baseline of a rootfs directory, a tar archive or an image",
		Long: `SOURCE is one of:
  a directory            a rootfs or a mounted disk image
  a file                 a tar archive of a rootfs (optionally gzip-compressed)
  docker-daemon:IMAGE    an image in the local Docker engine
  registry:IMAGE         an image in its registry (also: any image reference
                         that is not an existing path)
Image layers are applied in order with OCI whiteouts and streamed; nothing
is extracted to disk.`,
		Example: `  immutcheck baseline create registry:ghcr.io/acme/base@sha256:... -o base.baseline
  immutcheck baseline create /mnt/golden-root -o host.baseline --sign-key baseline.key`,
		Args: cobra.ExactArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			return runBaselineCreate(cmd.Context(), opts, cmd.OutOrStdout())
		}),
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Output, "output", "o", "", "baseline file to write (required)")
	f.Uint64Var(&opts.Generation, "generation", 0, "generation number; must grow with every baseline signed by a key (default: the current Unix time)")
	f.StringVar(&opts.SignKey, "sign-key", "", "also sign the baseline with this private key (writes FILE.sig)")
	f.BoolVar(&opts.CrossFilesystems, "cross-filesystems", false, "descend into other filesystems mounted below a directory SOURCE")
	f.StringSliceVar(&opts.Ignore, "ignore", nil, "path or glob to leave out, in addition to the default volatile paths (repeatable)")
	f.StringSliceVar(&opts.Include, "include", nil, "path to keep although a default ignore covers it (repeatable)")
	cmd.MarkFlagRequired("output")
	return cmd
}

// runBaselineCreate is baseline create without flags.
func runBaselineCreate(ctx context.Context, opts baselineCreateOptions, stdout io.Writer) error {
	ig, err := drift.NewIgnores(opts.Ignore, opts.Include)
	if err != nil {
		return &usageError{err}
	}
	var signer *baseline.Signer
	if opts.SignKey != "" {
		if signer, err = loadSigner(opts.SignKey); err != nil {
			return err
		}
	}
	snap, source, digest, err := snapshotSource(ctx, opts.Source, drift.WalkOptions{Ignores: ig, CrossFilesystems: opts.CrossFilesystems})
	if err != nil {
		return err
	}
	h := baseline.Header{Source: source, Digest: digest, ToolVersion: toolVersion(), Created: time.Now().UTC(), Generation: opts.Generation}
	if h.Generation == 0 {
		h.Generation = uint64(h.Created.Unix())
	}
	var buf bytes.Buffer
	if err := baseline.Encode(&buf, h, snap); err != nil {
		return err
	}
	if err := baseline.WriteFile(opts.Output, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if signer != nil {
		if err := signFile(signer, opts.Output, buf.Bytes(), ""); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "baseline %s: %d entries, %d packages (%s), generation %d, from %s\n",
		opts.Output, len(snap.Entries), len(snap.Packages), orNone(snap.PackageDB), h.Generation, source)
	return nil
}

// snapshotSource reads SOURCE: a directory, a tar archive, or an image.
func snapshotSource(ctx context.Context, src string, wo drift.WalkOptions) (snap *drift.Snapshot, source, digest string, err error) {
	switch {
	case strings.HasPrefix(src, "docker-daemon:"):
		ref := strings.TrimPrefix(src, "docker-daemon:")
		snap, digest, err = image.Daemon(ctx, ref)
		return snap, ref, digest, err
	case strings.HasPrefix(src, "registry:"):
		ref := strings.TrimPrefix(src, "registry:")
		snap, digest, err = image.Remote(ctx, ref)
		return snap, ref, digest, err
	}
	fi, statErr := os.Stat(src)
	switch {
	case statErr == nil && fi.IsDir():
		snap, err = drift.Walk(ctx, src, wo)
		if err == nil {
			if inc := snap.Incomplete(); len(inc) > 0 {
				err = fmt.Errorf("baseline of %s: %d entries could not be read (first: %s: %s); a baseline must be complete", src, len(inc), inc[0].Path, inc[0].Status)
			}
		}
		return snap, src, "", err
	case statErr == nil:
		snap, err = readTarFile(ctx, src)
		return snap, src, "", err
	}
	snap, digest, err = image.Remote(ctx, src)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s is neither a path (%v) nor a reachable image: %w", src, statErr, err)
	}
	return snap, src, digest, nil
}

// readTarFile reads a rootfs tar archive, gunzipping it when needed.
func readTarFile(ctx context.Context, name string) (*drift.Snapshot, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read archive: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read archive: %w", err)
		}
		r = zr
	}
	return drift.ReadTar(ctx, r)
}

func orNone(s string) string {
	if s == "" {
		return "no package database"
	}
	return s
}
