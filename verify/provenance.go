package verify

import (
	"encoding/json"
	"fmt"
	"strings"

	v02 "github.com/in-toto/in-toto-golang/in_toto/slsa_provenance/v0.2"
	v1 "github.com/in-toto/in-toto-golang/in_toto/slsa_provenance/v1"

	"github.com/immutcheck/immutcheck/model"
)

// SLSA provenance predicate types.
const (
	SLSAProvenanceV02 = v02.PredicateSLSAProvenance
	SLSAProvenanceV1  = v1.PredicateSLSAProvenance
)

// IsProvenance reports whether a predicate type is SLSA provenance.
func IsProvenance(predicateType string) bool {
	return predicateType == SLSAProvenanceV02 || predicateType == SLSAProvenanceV1
}

// Provenance is what the policy compares in a SLSA provenance predicate.
type Provenance struct {
	PredicateType string
	BuilderID     string
	// Repository is the source repository URI without "git+" and ref.
	Repository string
	// Commit is the source commit (git SHA-1 or SHA-256), if recorded.
	Commit string
	// Ref is the source ref ("refs/heads/main"), if recorded.
	Ref string
}

// ParseProvenance reads a SLSA v0.2 or v1 predicate.
func ParseProvenance(predicateType string, predicate []byte) (*Provenance, error) {
	switch predicateType {
	case SLSAProvenanceV02:
		var p v02.ProvenancePredicate
		if err := decodeOne(predicate, &p); err != nil {
			return nil, fmt.Errorf("parse SLSA v0.2 provenance: %w: %w", ErrVerification, err)
		}
		out := &Provenance{PredicateType: predicateType, BuilderID: p.Builder.ID}
		src, dig := p.Invocation.ConfigSource.URI, map[string]string(p.Invocation.ConfigSource.Digest)
		if src == "" && len(p.Materials) > 0 {
			src, dig = p.Materials[0].URI, p.Materials[0].Digest
		}
		out.Repository, out.Ref = splitSource(src)
		out.Commit = commitOf(dig)
		return out, nil
	case SLSAProvenanceV1:
		var p v1.ProvenancePredicate
		if err := decodeOne(predicate, &p); err != nil {
			return nil, fmt.Errorf("parse SLSA v1 provenance: %w: %w", ErrVerification, err)
		}
		out := &Provenance{PredicateType: predicateType, BuilderID: p.RunDetails.Builder.ID}
		for _, d := range p.BuildDefinition.ResolvedDependencies {
			if c := commitOf(d.Digest); c != "" || strings.HasPrefix(d.URI, "git+") {
				out.Repository, out.Ref = splitSource(d.URI)
				out.Commit = c
				break
			}
		}
		workflowSource(p.BuildDefinition.ExternalParameters, out)
		return out, nil
	}
	return nil, fmt.Errorf("predicate type %q is not SLSA provenance: %w", predicateType, ErrVerification)
}

// workflowSource fills repository and ref from the externalParameters of
// GitHub's build type ({"workflow": {"repository", "ref"}}) when the
// resolved dependencies did not name them.
func workflowSource(ext any, p *Provenance) {
	b, err := json.Marshal(ext)
	if err != nil {
		return
	}
	var gh struct {
		Workflow struct {
			Repository string `json:"repository"`
			Ref        string `json:"ref"`
		} `json:"workflow"`
	}
	if json.Unmarshal(b, &gh) != nil {
		return
	}
	if p.Repository == "" {
		p.Repository, _ = splitSource(gh.Workflow.Repository)
	}
	if p.Ref == "" {
		p.Ref = gh.Workflow.Ref
	}
}

// splitSource turns "git+https://host/org/repo@refs/heads/main" into
// "https://host/org/repo" and "refs/heads/main".
func splitSource(uri string) (repo, ref string) {
	s := strings.TrimPrefix(uri, "git+")
	// The ref follows the last "@" of the path; an "@" in the host part is
	// userinfo, not a ref.
	pathStart := 0
	if _, rest, ok := strings.Cut(s, "://"); ok {
		pathStart = len(s) - len(rest)
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			pathStart += j
		} else {
			pathStart = len(s)
		}
	}
	if i := strings.LastIndexByte(s, '@'); i > pathStart {
		s, ref = s[:i], s[i+1:]
	}
	return model.NormalizeRepository(s), ref
}

// commitOf returns the git commit of a digest set.
func commitOf(d map[string]string) string {
	for _, k := range []string{"gitCommit", "sha1", "sha256"} {
		if v := d[k]; v != "" {
			return strings.ToLower(v)
		}
	}
	return ""
}
