package baseline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/immutcheck/immutcheck/drift"
)

// Baseline is a decoded, checked baseline file.
type Baseline struct {
	Header Header
	// Snapshot holds the entries (Load); it is nil for Open, whose Reader
	// yields them instead.
	Snapshot *drift.Snapshot
	Reader   *Reader
	// Signed is true only when a signature was verified with a key; KeyID
	// names that key.
	Signed bool
	KeyID  string
}

// LoadOptions say how much a baseline must be trusted.
type LoadOptions struct {
	// Verifier checks the detached signature. Without one the baseline is
	// unsigned and is refused unless AllowUnsigned is set.
	Verifier *Verifier
	// SignatureFile defaults to the baseline's name plus ".sig".
	SignatureFile string
	// AllowUnsigned accepts a baseline without a verified signature. It is
	// the explicit unsafe path: reports must say the baseline was unsigned.
	// A signature that is present but does not verify is refused anyway.
	AllowUnsigned bool
	// StateFile holds the generations seen; empty skips the rollback check.
	StateFile string
}

// Load reads, verifies and decodes a baseline file. It returns an error
// wrapping ErrUntrusted, ErrRollback, ErrFormat or ErrCorrupt rather than
// any baseline that is not exactly what its signer wrote.
func Load(name string, o LoadOptions) (*Baseline, error) {
	b, err := Open(name, o)
	if err != nil {
		return nil, err
	}
	defer b.Reader.Close()
	if b.Snapshot, err = b.Reader.readAll(); err != nil {
		return nil, err
	}
	b.Reader = nil
	return b, nil
}

// Open verifies a baseline file like Load, but leaves its entries to be
// decoded one by one from b.Reader. The signature, checksum, header and
// generation are checked in one pass over the file that keeps none of its
// bytes, before Open returns; the Reader then reads the file again, and its
// Finish fails unless the file still hashes to what was verified, so
// memory does not grow with the baseline while nothing unverified is ever
// reported. Damage found while reading entries is an ErrCorrupt error from
// the Reader. Close the Reader when done.
func Open(name string, o LoadOptions) (*Baseline, error) {
	f, size, err := openRegular(name, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	b, id, err := check(name, f, size, o)
	if err == nil {
		b.Reader, err = newFileReader(f, id)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return b, nil
}

// check verifies the baseline file f, the file name, and returns what it
// says with the identity a second read must match.
func check(name string, f *os.File, size int64, o LoadOptions) (*Baseline, fileID, error) {
	b := &Baseline{}
	var sc *sigCheck
	if o.Verifier != nil {
		sigName := o.SignatureFile
		if sigName == "" {
			sigName = name + ".sig"
		}
		sig, err := readBounded(sigName, maxSignature)
		switch {
		case errors.Is(err, fs.ErrNotExist) && o.AllowUnsigned:
		case errors.Is(err, fs.ErrNotExist):
			return nil, fileID{}, fmt.Errorf("%w: no signature file %s", ErrUntrusted, sigName)
		case err != nil:
			return nil, fileID{}, fmt.Errorf("%w: read signature: %v", ErrUntrusted, err)
		default:
			if sc, err = o.Verifier.start(sig); err != nil {
				return nil, fileID{}, err
			}
		}
	} else if !o.AllowUnsigned {
		return nil, fileID{}, fmt.Errorf("%w: no public key given to verify the baseline (use --key, or --allow-unsigned to accept an unsigned baseline)", ErrUntrusted)
	}
	var sigW io.Writer
	if sc != nil {
		sigW = sc
	}
	sum, err := scan(f, size, sigW)
	if err != nil {
		return nil, fileID{}, err
	}
	if sc != nil {
		if err := sc.check(); err != nil {
			return nil, fileID{}, err
		}
		b.Signed, b.KeyID = true, o.Verifier.KeyID
	}
	if sum.err != nil {
		return nil, fileID{}, sum.err
	}
	b.Header = sum.header
	if b.Signed && o.StateFile != "" {
		st, err := LoadState(o.StateFile)
		if err != nil {
			return nil, fileID{}, err
		}
		if err := st.Check(b.KeyID, b.Header.Generation); err != nil {
			return nil, fileID{}, err
		}
		if err := st.Record(o.StateFile, b.KeyID, b.Header.Generation); err != nil {
			return nil, fileID{}, err
		}
	}
	return b, sum.id, nil
}
