package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

// TestImageVerifyExitCodes runs `image verify` against go-containerregistry's
// in-memory registry; registry/ holds the tests against the real registry
// and cosign.
func TestImageVerifyExitCodes(t *testing.T) {
	t.Parallel()
	s := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	host := strings.TrimPrefix(s.URL, "http://")
	dir := t.TempDir()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	keyPath := filepath.Join(dir, "cosign.pub")
	os.WriteFile(keyPath, pub, 0o600)

	signed := pushImage(t, host+"/shop:1.0.0")
	signImage(t, host+"/shop", signed, priv)
	unsigned := pushImage(t, host+"/shop:2.0.0")
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	down := l.Addr().String()
	l.Close()

	cfgPath := filepath.Join(dir, ".immutcheck.yaml")
	os.WriteFile(cfgPath, []byte("registry:\n  keys: [cosign.pub]\n  insecure-registries: ["+host+"]\n"), 0o600)
	lowerCfg := filepath.Join(dir, "lower.yaml")
	os.WriteFile(lowerCfg, []byte("rules:\n  severity:\n    signature-invalid: low\n"), 0o600)
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("registry:\n  keyz: [cosign.pub]\n"), 0o600)
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"policy from config, key relative to it", []string{"--config", cfgPath, host + "/shop:1.0.0@" + signed}, ExitClean},
		{"policy from config finds unsigned", []string{"--config", cfgPath, host + "/shop@" + unsigned}, ExitFindings},
		{"unknown field in registry policy", []string{"--config", badCfg, host + "/shop@" + unsigned}, ExitUsage},
		{"signed", []string{"--key", keyPath, "--insecure-registry", host, host + "/shop:1.0.0@" + signed}, ExitClean},
		{"unsigned", []string{"--key", keyPath, "--insecure-registry", host, host + "/shop@" + unsigned}, ExitFindings},
		{"unsigned below fail-on", []string{"--key", keyPath, "--insecure-registry", host, "--fail-on", "critical", host + "/shop@" + unsigned}, ExitClean},
		{"plain HTTP not named", []string{"--key", keyPath, host + "/shop@" + signed}, ExitCouldNotCheck},
		{"registry down", []string{"--key", keyPath, "--insecure-registry", down, down + "/shop:1"}, ExitCouldNotCheck},
		{"could-not-check even with fail-on none", []string{"--key", keyPath, "--fail-on", "none", "--insecure-registry", down, down + "/shop:1"}, ExitCouldNotCheck},
		{"invalid reference", []string{"--key", keyPath, "shop@sha256:../../x"}, ExitCouldNotCheck},
		{"no trust material", []string{host + "/shop:1.0.0"}, ExitUsage},
		{"missing key file", []string{"--key", filepath.Join(dir, "none.pub"), host + "/shop:1.0.0"}, ExitUsage},
		{"unknown type", []string{"--key", keyPath, "--type", "spdx", host + "/shop:1.0.0"}, ExitUsage},
		{"issuer without identity", []string{"--certificate-oidc-issuer", "https://issuer", host + "/shop:1.0.0"}, ExitUsage},
		{"no reference", []string{"--key", keyPath}, ExitUsage},
		{"unsigned, image-unsigned disabled", []string{"--key", keyPath, "--insecure-registry", host, "--disable", "image-unsigned", host + "/shop@" + unsigned}, ExitClean},
		{"signature-invalid cannot be disabled", []string{"--key", keyPath, "--insecure-registry", host, "--disable", "signature-invalid", host + "/shop@" + signed}, ExitUsage},
		{"image-check-failed cannot be disabled", []string{"--key", keyPath, "--insecure-registry", host, "--disable", "image-check-failed", host + "/shop@" + signed}, ExitUsage},
		{"signature-invalid cannot be lowered in the config", []string{"--config", lowerCfg, "--key", keyPath, "--insecure-registry", host, host + "/shop@" + signed}, ExitUsage},
		{"unknown rule disabled", []string{"--key", keyPath, "--insecure-registry", host, "--disable", "no-such-rule", host + "/shop@" + signed}, ExitUsage},
		{"untrusted registry", []string{"--key", keyPath, "--insecure-registry", host, "--allowed-registry", "ghcr.io/acme", host + "/shop@" + signed}, ExitFindings},
		{"trusted registry", []string{"--key", keyPath, "--insecure-registry", host, "--allowed-registry", host + "/shop", host + "/shop@" + signed}, ExitClean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			args := append([]string{"image", "verify"}, tt.args...)
			if got := Main(context.Background(), args, nil, &out, &errOut); got != tt.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tt.want, out.String(), errOut.String())
			}
		})
	}
}

func pushImage(t *testing.T, ref string) string {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := name.ParseReference(ref, name.Insecure)
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
	d, _ := img.Digest()
	return d.String()
}

// signImage writes a cosign classic signature of digest.
func signImage(t *testing.T, repo, digest string, priv *ecdsa.PrivateKey) {
	t.Helper()
	payload := fmt.Appendf(nil, `{"critical":{"identity":{"docker-reference":%q},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, repo, digest)
	h := sha256.Sum256(payload)
	sig, err := ecdsa.SignASN1(rand.Reader, priv, h[:])
	if err != nil {
		t.Fatal(err)
	}
	const mt = "application/vnd.dev.cosign.simplesigning.v1+json"
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: static.NewLayer(payload, mt), MediaType: mt,
		Annotations: map[string]string{"dev.cosignproject.cosign/signature": base64.StdEncoding.EncodeToString(sig)}})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := name.ParseReference(repo+":"+strings.Replace(digest, ":", "-", 1)+".sig", name.Insecure)
	if err := remote.Write(r, img); err != nil {
		t.Fatal(err)
	}
}

// TestImageVerifyListsRulesRun checks the report of image verify lists
// the registry rules it ran, without those disabled.
func TestImageVerifyListsRulesRun(t *testing.T) {
	t.Parallel()
	s := httptest.NewServer(ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(s.Close)
	host := strings.TrimPrefix(s.URL, "http://")
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	keyPath := writeFile(t, t.TempDir(), "cosign.pub", string(pub))
	unsigned := pushImage(t, host+"/shop:2.0.0")
	var out, errOut bytes.Buffer
	args := []string{"image", "verify", "--key", keyPath, "--insecure-registry", host, "--format", "sarif", "--disable", "image-unsigned,tag-moved", host + "/shop@" + unsigned}
	if got := Main(context.Background(), args, nil, &out, &errOut); got != ExitClean {
		t.Fatalf("exit %d\n%s%s", got, out.String(), errOut.String())
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("sarif: %v\n%s", err, out.String())
	}
	var ids []string
	for _, r := range doc.Runs[0].Tool.Driver.Rules {
		ids = append(ids, r.ID)
	}
	want := []string{"registry-not-allowed", "image-digest-not-found", "signature-invalid", "rollback-image-missing",
		"provenance-missing", "provenance-mismatch", "vulnerability-scan-missing", "vulnerability-scan-stale",
		"vulnerabilities-over-threshold", "image-check-failed"}
	if d := cmp.Diff(want, ids); d != "" {
		t.Errorf("rules listed (-want +got):\n%s\n%s", d, out.String())
	}
}

// TestRegistryFlagsOnScan checks the verification flags can be added to
// the scan command (which has its own --allowed-registry) for scan --registry.
func TestRegistryFlagsOnScan(t *testing.T) {
	t.Parallel()
	cmd := newScanCmd(nil)
	for _, f := range []string{"registry", "key", "certificate-identity", "certificate-oidc-issuer", "type", "insecure-registry", "previous", "allowed-registry"} {
		if cmd.Flags().Lookup(f) == nil {
			t.Errorf("flag --%s missing", f)
		}
	}
}
