// Command registryseed fills a registry for bench/registry.sh: N distinct
// random images, each with a cosign classic signature and two DSSE
// attestations (SLSA provenance v0.2 and a cosign vuln scan) in the layout
// cosign writes, signed with a fresh ECDSA P-256 key whose public half is
// written as cosign.pub. Seeding with the cosign CLI would take minutes
// for 500 images; the bench measures verification, not seeding, and both
// immutcheck and cosign verify these same bytes.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

func main() {
	reg := flag.String("registry", "", "registry host:port (plain HTTP)")
	n := flag.Int("n", 500, "number of images")
	out := flag.String("out", "", "directory for cosign.pub and refs.txt")
	flag.Parse()
	if err := run(*reg, *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "registryseed:", err)
		os.Exit(1)
	}
}

func run(reg string, n int, out string) error {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	pub, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "cosign.pub"), pub, 0o644); err != nil {
		return err
	}
	refs := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	run := fmt.Sprintf("bench%d", time.Now().Unix())
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			refs[i], errs[i] = seed(priv, fmt.Sprintf("%s/%s/app%d", reg, run, i))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, "refs.txt"), []byte(strings.Join(refs, "\n")+"\n"), 0o644)
}

// seed pushes one signed and attested image and returns name@digest.
func seed(priv *ecdsa.PrivateKey, repo string) (string, error) {
	img, err := random.Image(256, 1)
	if err != nil {
		return "", err
	}
	if err := write(repo+":1.0.0", img); err != nil {
		return "", err
	}
	h, _ := img.Digest()
	d := h.String()
	sigPayload := fmt.Appendf(nil, `{"critical":{"identity":{"docker-reference":%q},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, repo, d)
	sig := mutate.Addendum{Layer: static.NewLayer(sigPayload, "application/vnd.dev.cosign.simplesigning.v1+json"),
		MediaType: "application/vnd.dev.cosign.simplesigning.v1+json", Annotations: map[string]string{"dev.cosignproject.cosign/signature": sign(priv, sigPayload)}}
	tag := repo + ":" + strings.Replace(d, ":", "-", 1)
	if err := attach(tag+".sig", sig); err != nil {
		return "", err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	prov := `{"builder":{"id":"https://ci.example/builder@v1"},"buildType":"https://ci.example/build/v1","invocation":{"configSource":{"uri":"git+https://git.example/acme/shop@refs/heads/main","digest":{"sha1":"5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f"},"entryPoint":"release.yml"}},"materials":[]}`
	vuln := `{"invocation":{"parameters":null,"uri":"","event_id":"","builder.id":""},"scanner":{"uri":"pkg:github/aquasecurity/trivy@0.50.0","version":"0.50.0","db":{"uri":"","version":""},"result":{"SchemaVersion":2,"Results":[]}},"metadata":{"scanStartedOn":"` + now + `","scanFinishedOn":"` + now + `"}}`
	var atts []mutate.Addendum
	for _, p := range []struct{ typ, pred string }{{"https://slsa.dev/provenance/v0.2", prov}, {"https://cosign.sigstore.dev/attestation/vuln/v1", vuln}} {
		stmt := fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":%q,"subject":[{"name":%q,"digest":{"sha256":%q}}],"predicate":%s}`, p.typ, repo, h.Hex, p.pred)
		env, err := json.Marshal(dsse.Envelope{PayloadType: "application/vnd.in-toto+json", Payload: base64.StdEncoding.EncodeToString(stmt),
			Signatures: []dsse.Signature{{Sig: sign(priv, dsse.PAE("application/vnd.in-toto+json", stmt))}}})
		if err != nil {
			return "", err
		}
		atts = append(atts, mutate.Addendum{Layer: static.NewLayer(env, "application/vnd.dsse.envelope.v1+json"),
			MediaType: "application/vnd.dsse.envelope.v1+json", Annotations: map[string]string{"predicateType": p.typ, "dev.cosignproject.cosign/signature": ""}})
	}
	if err := attach(tag+".att", atts...); err != nil {
		return "", err
	}
	return repo + "@" + d, nil
}

func sign(priv *ecdsa.PrivateKey, msg []byte) string {
	h := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, priv, h[:])
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func attach(ref string, layers ...mutate.Addendum) error {
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err := mutate.Append(img, layers...)
	if err != nil {
		return err
	}
	return write(ref, img)
}

func write(ref string, img v1.Image) error {
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return err
	}
	if err := remote.Write(r, img); err != nil {
		return fmt.Errorf("push %s: %w", ref, err)
	}
	return nil
}
