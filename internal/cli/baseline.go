package cli

import (
	"bufio"
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
	"github.com/immutcheck/immutcheck/internal/regfile"
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
	h := baseline.Header{Source: opts.Source, ToolVersion: toolVersion(), Created: time.Now().UTC(), Generation: opts.Generation}
	if h.Generation == 0 {
		h.Generation = uint64(h.Created.Unix())
	}
	out, err := baseline.Create(opts.Output, 0o644)
	if err != nil {
		return err
	}
	defer out.Abort()
	bw := bufio.NewWriterSize(out, 1<<20)
	snap, h, err := writeBaseline(ctx, opts.Source, drift.WalkOptions{Ignores: ig, CrossFilesystems: opts.CrossFilesystems}, bw, h)
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return err
	}
	var data []byte
	if signer != nil {
		if data, err = out.Contents(baseline.MaxFileSize); err != nil {
			return err
		}
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if signer != nil {
		if err := signFile(signer, opts.Output, data, ""); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "baseline %s: %d entries, %d packages (%s), generation %d, from %s\n",
		opts.Output, snap.Count, len(snap.Packages), orNone(snap.PackageDB), h.Generation, h.Source)
	return nil
}

// writeBaseline records SOURCE into w. A directory is walked and streamed
// entry by entry (memory flat in the number of files); an archive or an
// image is read into memory first, since a later layer may remove what an
// earlier one added.
func writeBaseline(ctx context.Context, src string, wo drift.WalkOptions, w io.Writer, h baseline.Header) (*drift.Snapshot, baseline.Header, error) {
	isImage := strings.HasPrefix(src, "docker-daemon:") || strings.HasPrefix(src, "registry:")
	if fi, err := os.Stat(src); err == nil && fi.IsDir() && !isImage {
		bw, err := baseline.NewWriter(w, h)
		if err != nil {
			return nil, h, err
		}
		var addErr error
		wo.Emit = func(e *drift.Entry) {
			if addErr == nil {
				addErr = bw.Add(e)
			}
		}
		snap, err := drift.Walk(ctx, src, wo)
		switch {
		case err != nil:
			return nil, h, err
		case addErr != nil:
			return nil, h, fmt.Errorf("baseline of %s: %w", src, addErr)
		}
		return snap, h, bw.Close(snap)
	}
	snap, source, digest, err := snapshotSource(ctx, src, wo)
	if err != nil {
		return nil, h, err
	}
	h.Source, h.Digest = source, digest
	if snap.Count == 0 {
		snap.Count = len(snap.Entries)
	}
	return snap, h, baseline.Encode(w, h, snap)
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
	_, statErr := os.Stat(src)
	if statErr == nil {
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
	f, _, err := regfile.Open(name)
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
