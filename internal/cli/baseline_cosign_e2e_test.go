package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EBaselineSignedByCosign: a baseline signed with the real cosign
// CLI (sign-blob, an ECDSA P-256 key pair from generate-key-pair) is
// verified by drift with cosign.pub, while it is streamed; a baseline
// changed after signing, or a signature of another blob, is refused with
// exit 3.
func TestE2EBaselineSignedByCosign(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cosignRun := cosignIn(t, dir)
	cosignRun("generate-key-pair")
	tree := filepath.Join(dir, "tree")
	writeFile(t, tree, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
	writeFile(t, tree, "usr/bin/tool", "#!/bin/sh\necho tool\n")
	base := filepath.Join(dir, "tree.baseline")
	if code, _, errOut := run(t, "", "baseline", "create", tree, "-o", base); code != 0 {
		t.Fatalf("baseline create: exit %d: %s", code, errOut)
	}
	cosignRun("sign-blob", "--key", "cosign.key", "--tlog-upload=false", "--yes", "--output-signature", base+".sig", base)
	drift := func() (int, string) {
		code, _, errOut := run(t, "", "drift", "--baseline", base, "--key", filepath.Join(dir, "cosign.pub"), "--state", "", tree)
		return code, errOut
	}
	if code, errOut := drift(); code != ExitClean {
		t.Fatalf("baseline signed by cosign: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), data...)
	tampered[len(tampered)/2] ^= 1
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(base, tampered, 0o644))
	if code, errOut := drift(); code != ExitCouldNotCheck || !strings.Contains(errOut, "signature") {
		t.Errorf("baseline changed after signing: exit %d: %s", code, errOut)
	}
	// A valid cosign signature, of another blob.
	must(os.WriteFile(base, data, 0o644))
	other := filepath.Join(dir, "other")
	must(os.WriteFile(other, []byte("another blob"), 0o644))
	cosignRun("sign-blob", "--key", "cosign.key", "--tlog-upload=false", "--yes", "--output-signature", base+".sig", other)
	if code, errOut := drift(); code != ExitCouldNotCheck || !strings.Contains(errOut, "signature") {
		t.Errorf("signature of another blob: exit %d: %s", code, errOut)
	}
}
