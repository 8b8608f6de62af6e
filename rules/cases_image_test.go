package rules

import (
	"time"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

// testRegistryOptions is the registry policy of the model cases: what
// imageFile's good image satisfies.
var testRegistryOptions = RegistryOptions{
	Trusted:           []string{"ghcr.io/acme"},
	Provenance:        model.ProvenancePolicy{BuilderID: "https://ci.example/builder", SourceRepository: "https://git.example/acme/web"},
	MaxScanAge:        7 * 24 * time.Hour,
	SeverityThreshold: "HIGH",
	PreviousRevisions: 2,
}

// goodImage is a pinned image that passes every registry rule: the tag
// names the pin, it is signed, its provenance and scan are as the policy
// expects, and its two previous releases resolve and are signed.
func goodImage() *model.ImageCheck {
	return &model.ImageCheck{
		Artifact:   model.NewArtifact("ghcr.io/acme/web:1.4.0@"+testDigest, loc(5)),
		Digest:     testDigest,
		TagDigest:  testDigest,
		Signatures: &model.Signatures{Found: 1, Verified: true},
		Attestations: &model.Attestations{
			Total: 2,
			Types: []string{verify.SLSAProvenanceV1, verify.CosignVulnV1},
			Provenance: &model.ProvenanceFound{Want: "SLSA provenance", Found: []model.Provenance{{
				PredicateType: verify.SLSAProvenanceV1, BuilderID: "https://ci.example/builder", Repository: "https://git.example/acme/web", Commit: "c0ffee",
			}}},
			Scan: &model.ScanFound{PredicateType: verify.CosignVulnV1, Newest: &model.VulnScan{
				Scanner: "trivy", FinishedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Age: time.Hour, Counts: map[string]int{"LOW": 3},
			}},
		},
		Releases: &model.Releases{Tags: []string{"1.3.0", "1.2.0"}},
	}
}

// previousRelease is a previous release of goodImage that resolves and is
// signed.
func previousRelease(tag string) *model.ImageCheck {
	return &model.ImageCheck{
		Artifact: model.NewArtifact("ghcr.io/acme/web:"+tag, loc(5)), Subject: "image ghcr.io/acme/web:1.4.0@" + testDigest,
		Previous: true, Digest: otherDigest, Signatures: &model.Signatures{Found: 1, Verified: true},
	}
}

// imageFile is goodImage, changed by change, with its previous releases.
func imageFile(change func(c *model.ImageCheck, prev []*model.ImageCheck)) func() *model.File {
	return func() *model.File {
		c := goodImage()
		prev := []*model.ImageCheck{previousRelease("1.3.0"), previousRelease("1.2.0")}
		if change != nil {
			change(c, prev)
		}
		return &model.File{Path: "f.yaml", Images: append([]*model.ImageCheck{c}, prev...)}
	}
}

// imageCases are the unit cases of the rules that judge what registries
// say about declared images.
var imageCases = map[*Rule]modelCase{
	RegistryNotAllowed: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			*c = model.ImageCheck{Artifact: model.NewArtifact("docker.io/evil/web@"+testDigest, loc(5))}
		}),
		good: imageFile(nil),
		want: `image "docker.io/evil/web@` + testDigest + `" comes from index.docker.io, which is not a trusted registry [ghcr.io/acme]`,
	},
	ImageDigestNotFound: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			*c = model.ImageCheck{Artifact: c.Artifact, DigestMissing: true}
		}),
		good: imageFile(nil),
		want: "digest " + testDigest + " does not exist in ghcr.io/acme/web",
	},
	TagMoved: {
		bad:  imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) { c.TagDigest = otherDigest }),
		good: imageFile(nil),
		want: "tag 1.4.0 now points to " + otherDigest + ", not to the pinned " + testDigest,
	},
	ImageUnsigned: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Signatures = &model.Signatures{Bundles: true}
		}),
		good: imageFile(nil),
		want: "no signature found for " + testDigest + " (looked for the cosign tag sha256-7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730.sig and sigstore bundles among the referrers)",
	},
	SignatureInvalid: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Signatures = &model.Signatures{Found: 2, Errors: []string{"signature 1: bad", "signature 2: bad"}}
			c.Attestations.Rejected = []string{"attestation 3: not about this digest"}
		}),
		good: imageFile(nil),
		want: "2 signature(s) of " + testDigest + ", none verifies: signature 1: bad; signature 2: bad",
	},
	ProvenanceMissing: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Attestations.Types = []string{verify.CosignVulnV1}
			c.Attestations.Provenance.Found = nil
			c.Attestations.Provenance.Rejected = []string{"no builder"}
		}),
		good: imageFile(nil),
		want: "no verified SLSA provenance attestation for " + testDigest + " (verified attestation types: " + verify.CosignVulnV1 + "); rejected: no builder",
	},
	ProvenanceMismatch: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Attestations.Provenance.Found[0].BuilderID = "https://laptop.example/me"
		}),
		good: imageFile(nil),
		want: `provenance of ` + testDigest + ` does not match the policy: builder: expected "https://ci.example/builder", found "https://laptop.example/me"`,
	},
	VulnerabilityScanMissing: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Attestations.Scan.Newest = nil
			c.Attestations.Types = nil
		}),
		good: imageFile(nil),
		want: "no verified vulnerability scan attestation (" + verify.CosignVulnV1 + ") for " + testDigest + " (verified attestation types: none)",
	},
	VulnerabilityScanStale: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Attestations.Scan.Newest.Age = 30*24*time.Hour + 20*time.Minute
		}),
		good: imageFile(nil),
		want: "newest scan of " + testDigest + " finished 2026-12-01T00:00:00Z (720h0m0s ago), older than the allowed 168h0m0s",
	},
	VulnerabilitiesOverThreshold: {
		bad: imageFile(func(c *model.ImageCheck, _ []*model.ImageCheck) {
			c.Attestations.Scan.Newest.Counts = map[string]int{"CRITICAL": 1, "HIGH": 1, "LOW": 3}
		}),
		good: imageFile(nil),
		want: "scan of " + testDigest + " lists 2 vulnerabilities at or above HIGH (CRITICAL: 1, HIGH: 1, LOW: 3)",
	},
	RollbackImageMissing: {
		bad: imageFile(func(c *model.ImageCheck, prev []*model.ImageCheck) {
			*prev[0] = model.ImageCheck{Artifact: prev[0].Artifact, Subject: prev[0].Subject, Previous: true, Gone: true}
			prev[1].Signatures = &model.Signatures{}
		}),
		good: imageFile(nil),
		want: "previous release ghcr.io/acme/web:1.3.0 is gone from the registry",
	},
}
