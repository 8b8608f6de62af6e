package baseline

import (
	"errors"
	"fmt"
	"io/fs"

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
	b.Header, b.Snapshot, err = Decode(b.Reader.data)
	if err != nil {
		return nil, err
	}
	b.Reader = nil
	return b, nil
}

// Open reads and verifies a baseline file like Load, but leaves its entries
// to be decoded one by one from b.Reader (the checksum, header, signature
// and generation are checked before it returns; damage found later while
// reading entries is an ErrCorrupt error from the Reader).
func Open(name string, o LoadOptions) (*Baseline, error) {
	data, err := readBounded(name, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	b := &Baseline{}
	if o.Verifier != nil {
		sigName := o.SignatureFile
		if sigName == "" {
			sigName = name + ".sig"
		}
		sig, err := readBounded(sigName, maxSignature)
		switch {
		case errors.Is(err, fs.ErrNotExist) && o.AllowUnsigned:
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("%w: no signature file %s", ErrUntrusted, sigName)
		case err != nil:
			return nil, fmt.Errorf("%w: read signature: %v", ErrUntrusted, err)
		default:
			if err := o.Verifier.Verify(data, sig); err != nil {
				return nil, err
			}
			b.Signed, b.KeyID = true, o.Verifier.KeyID
		}
	} else if !o.AllowUnsigned {
		return nil, fmt.Errorf("%w: no public key given to verify the baseline (use --key, or --allow-unsigned to accept an unsigned baseline)", ErrUntrusted)
	}
	if b.Reader, err = NewReader(data); err != nil {
		return nil, err
	}
	b.Header = b.Reader.Header()
	if b.Signed && o.StateFile != "" {
		st, err := LoadState(o.StateFile)
		if err != nil {
			return nil, err
		}
		if err := st.Check(b.KeyID, b.Header.Generation); err != nil {
			return nil, err
		}
		if err := st.Record(o.StateFile, b.KeyID, b.Header.Generation); err != nil {
			return nil, err
		}
	}
	return b, nil
}
