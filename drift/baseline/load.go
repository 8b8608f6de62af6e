package baseline

import (
	"errors"
	"fmt"
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
	b, f, data, err := verify(name, o)
	if err != nil {
		return nil, err
	}
	f.Close()
	b.Header, b.Snapshot, err = Decode(data)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// Open reads and verifies a baseline file like Load, but leaves its entries
// to be decoded one by one from b.Reader (the checksum, header, signature
// and generation are checked before it returns; damage found later while
// reading entries is an ErrCorrupt error from the Reader). The file's
// bytes are not kept: the Reader reads the file again and its Finish fails
// unless they are the bytes that were verified. Close the Reader when done.
func Open(name string, o LoadOptions) (*Baseline, error) {
	b, f, data, err := verify(name, o)
	if err != nil {
		return nil, err
	}
	if b.Reader, err = NewReader(data); err != nil {
		f.Close()
		return nil, err
	}
	b.Header = b.Reader.Header()
	if err := b.Reader.reread(f, data); err != nil {
		f.Close()
		return nil, err
	}
	return b, nil
}

// verify reads a baseline file and checks its signature, checksum, format
// and generation, returning the file still open.
func verify(name string, o LoadOptions) (*Baseline, *os.File, []byte, error) {
	f, data, err := openBounded(name, MaxFileSize)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read baseline: %w", err)
	}
	b, err := check(name, data, o)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return b, f, data, nil
}

// check verifies data, the bytes of the baseline file name.
func check(name string, data []byte, o LoadOptions) (*Baseline, error) {
	var err error
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
	r, err := NewReader(data)
	if err != nil {
		return nil, err
	}
	b.Header = r.Header()
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
