package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"log"
	"net/http/httptest"
	"strings"
	"testing"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// TestScanRegistry checks that scan --registry verifies the images the
// declarations name: a signed, pinned image passes, an unsigned one is
// reported at the line that names it.
func TestScanRegistry(t *testing.T) {
	t.Parallel()
	s := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	host := strings.TrimPrefix(s.URL, "http://")
	dir := t.TempDir()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	keyPath := writeFile(t, dir, "cosign.pub", string(pub))
	signed := pushImage(t, host+"/shop:1.0.0")
	signImage(t, host+"/shop", signed, priv)
	unsigned := pushImage(t, host+"/shop:2.0.0")

	manifest := func(name, ref string) string {
		return strings.NewReplacer("ok", name, "ghcr.io/acme/app:1@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", ref).Replace(pinnedPod)
	}
	good := writeFile(t, dir, "good/d.yaml", manifest("signed", host+"/shop:1.0.0@"+signed))
	bad := writeFile(t, dir, "bad/d.yaml", manifest("unsigned", host+"/shop:2.0.0@"+unsigned))
	args := []string{"scan", "--registry", "--key", keyPath, "--insecure-registry", host, "--format", "json"}

	if code, out, errOut := run(t, "", append(args, good)...); code != ExitClean {
		t.Fatalf("signed image: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := run(t, "", append(args, bad)...)
	if code != ExitFindings {
		t.Fatalf("unsigned image: exit %d\n%s%s", code, out, errOut)
	}
	var doc struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Rule != "image-unsigned" || doc.Findings[0].Location.File != bad || doc.Findings[0].Location.Line != 11 {
		t.Fatalf("findings = %+v", doc.Findings)
	}
	// --disable is honoured for registry rules too; a locked one is refused.
	if code, out, errOut := run(t, "", append(append(args, "--disable", "image-unsigned"), bad)...); code != ExitClean {
		t.Fatalf("image-unsigned disabled: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := run(t, "", append(append(args, "--disable", "signature-invalid"), bad)...); code != ExitUsage {
		t.Fatalf("signature-invalid disabled: exit %d, want %d", code, ExitUsage)
	}
	// Without --registry nothing is fetched and the pinned image is clean.
	if code, _, _ := run(t, "", "scan", bad); code != ExitClean {
		t.Fatalf("without --registry: exit %d", code)
	}
}
