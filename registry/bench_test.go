package registry

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

// BenchmarkVerify verifies 50 signed images with two attestations each
// against the in-memory registry (digest, signature, provenance, scan),
// and judges the facts with the catalog as image verify does.
// bench/registry.sh measures the same against the real registry and cosign.
func BenchmarkVerify(b *testing.B) {
	host := serve(b, newMemHandler(), nil)
	key := newSigner(b)
	var arts []model.Artifact
	for i := range 50 {
		repo := fmt.Sprintf("%s/app%d", host, i)
		d := pushRandom(b, repo+":1.0.0")
		attachImage(b, repo, d, "sig", []mutate.Addendum{key.signLayer(b, d)})
		attachImage(b, repo, d, "att", []mutate.Addendum{key.attLayer(b, d, verify.SLSAProvenanceV02, slsaV02), key.attLayer(b, d, verify.CosignVulnV1, vulnPred(time.Now(), "LOW"))})
		arts = append(arts, model.NewArtifact(repo+"@"+d, model.Location{}))
	}
	p := Policy{Keys: []string{key.pubPath}, Attestations: []string{"slsaprovenance", "vuln"}, InsecureRegistries: []string{host}}
	b.ResetTimer()
	for b.Loop() {
		v, _, err := NewVerifier(p, ClientOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range v.Verify(context.Background(), arts) {
			if r := judge(b, v, r); !r.Verified {
				b.Fatalf("not verified: %v", r.Findings)
			}
		}
	}
	b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "images/s")
}
