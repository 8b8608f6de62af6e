package rules

import (
	"strings"
)

// sshPort is the port whose exposure ssh-access reports.
const sshPort = 22

// SSHAccess: an instance can be logged into, so it can be changed by hand.
var SSHAccess = &Rule{
	ID:          "ssh-access",
	Group:       Baseline,
	Severity:    High,
	Title:       "Instance offers SSH access",
	Rationale:   "An SSH server is a standing invitation to fix things in place: every login can change the instance so that it no longer matches its image. Immutable instances are inspected through logs and metrics and replaced, not logged into.",
	Remediation: "Remove the SSH server and port 22, close port 22 to the internet in security groups and firewalls, and start instances without key pairs; debug with logs, metrics and ephemeral debug tooling, and ship fixes as new images.",
	Principle:   principleBaseline,
	Reads:       Declarations | Containers,
	Check: func(p *Pass) {
		sshResources(p)
		remoteAccessProcess(p)
		for _, w := range p.File.Workloads {
			for i := range w.Containers {
				c := &w.Containers[i]
				for _, port := range c.Ports {
					if port.Number == sshPort && !strings.EqualFold(port.Protocol, "udp") {
						p.Containerf(w, c, port.Location, "exposes port 22 (SSH)")
					}
				}
				for _, cmd := range c.Commands {
					if line, ok := runsSSHD(cmd); ok {
						p.Containerf(w, c, cmd.Location, "runs an SSH server: %q", line)
					}
				}
			}
		}
		for _, b := range p.File.Builds {
			for _, port := range b.Ports {
				if port.Number == sshPort && !strings.EqualFold(port.Protocol, "udp") {
					p.Buildf(b, port.Location, "EXPOSE 22 (SSH)")
				}
			}
			for _, step := range b.Steps {
				for _, in := range installs(step) {
					for _, pkg := range in.packages {
						if sshServerPackage(pkg) {
							p.Buildf(b, step.Location, "installs SSH server package %s", pkg)
						}
					}
				}
			}
			for _, cmd := range b.Start {
				if line, ok := runsSSHD(cmd); ok {
					p.Buildf(b, cmd.Location, "image starts an SSH server: %q", line)
				}
			}
		}
	},
}

// PrivilegedInstance: an instance that can change its host.
var PrivilegedInstance = &Rule{
	ID:          "privileged-instance",
	Group:       Baseline,
	Severity:    Critical,
	Title:       "Instance is privileged or shares host namespaces",
	Rationale:   "A privileged container, one with CAP_SYS_ADMIN, or one sharing the host's PID, network or IPC namespace can modify the host in place, escaping the image that was reviewed.",
	Remediation: "Remove privileged: true, hostPID/hostNetwork/hostIPC and added SYS_ADMIN/ALL capabilities; grant only the narrow capabilities the workload needs.",
	Principle:   principleBaseline,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			for _, ns := range w.HostNamespaces {
				p.Workloadf(w, ns.Location, "shares the host %s namespace", ns.Value)
			}
			for i := range w.Containers {
				c := &w.Containers[i]
				if c.Privileged != nil && c.Privileged.Value {
					p.Containerf(w, c, c.Privileged.Location, "runs privileged")
				}
				for _, cp := range c.AddedCapabilities {
					name := strings.TrimPrefix(strings.ToUpper(cp.Value), "CAP_")
					if name == "SYS_ADMIN" || name == "ALL" {
						p.Containerf(w, c, cp.Location, "adds capability %s", name)
					}
				}
			}
		}
	},
}

// openSources are source ranges that mean "anyone on the internet".
var openSources = map[string]bool{"0.0.0.0/0": true, "::/0": true, "*": true, "internet": true, "any": true}

// sshResources is the infrastructure part of ssh-access: firewall rules that
// open an SSH port to the internet, and instances started with an SSH key
// pair (an info finding: the key itself is not an open door).
func sshResources(p *Pass) {
	ports := p.Options.SSHPorts
	if len(ports) == 0 {
		ports = []int{sshPort}
	}
	for _, r := range p.File.Resources {
		for _, in := range r.Ingress {
			if !tcpLike(in.Protocol) {
				continue
			}
			open := ""
			for _, s := range in.Sources {
				if openSources[strings.ToLower(strings.TrimSpace(s))] {
					open = s
					break
				}
			}
			if open == "" {
				continue
			}
			for _, port := range ports {
				if in.All || (in.FromPort <= port && port <= in.ToPort) {
					p.Resourcef(r, in.Location, "allows port %d (SSH) from %s", port, open)
					break
				}
			}
		}
		if r.KeyName != nil && r.KeyName.Value != "" {
			p.resourceInfof(r, r.KeyName.Location, "instance is started with SSH key pair %q", r.KeyName.Value)
		}
	}
}

// tcpLike reports whether a rule's protocol includes TCP.
func tcpLike(proto string) bool {
	switch strings.ToLower(strings.TrimSpace(proto)) {
	case "tcp", "6", "-1", "all", "*", "":
		return true
	}
	return false
}

// The rules below are live: the registry verifier reports them from the
// attestations attached to an image digest.

// ProvenanceMissing: no verified SLSA provenance for the image.
var ProvenanceMissing = &Rule{
	ID:          "provenance-missing",
	Group:       Baseline,
	Severity:    High,
	Title:       "Image has no verified build provenance",
	Rationale:   "Without signed SLSA provenance nothing says which builder made the image from which source, so a hand-built or tampered image looks like a golden one.",
	Remediation: "Attach SLSA provenance in the pipeline (`cosign attest --type slsaprovenance --predicate provenance.json --key ... name@sha256:...`).",
	Principle:   principleBaseline,
	Reads:       Images,
	Check:       checkProvenanceMissing,
}

// ProvenanceMismatch: provenance names another builder, source or commit.
var ProvenanceMismatch = &Rule{
	ID:          "provenance-mismatch",
	Group:       Baseline,
	Severity:    High,
	Title:       "Build provenance does not match the policy",
	Rationale:   "The image was built, but not by the expected builder from the expected repository and commit; it did not come out of the pipeline the policy trusts.",
	Remediation: "Deploy an image built by the expected builder from the expected source, or update the provenance expectations in .immutcheck.yaml.",
	Principle:   principleBaseline,
	Reads:       Images,
	Check:       checkProvenanceMismatch,
}

// VulnerabilityScanMissing: no verified vulnerability-scan attestation.
var VulnerabilityScanMissing = &Rule{
	ID:          "vulnerability-scan-missing",
	Group:       Baseline,
	Severity:    High,
	Title:       "Image has no verified vulnerability scan",
	Rationale:   "A golden image is scanned before release; without a signed scan result nobody knows what known vulnerabilities it ships.",
	Remediation: "Scan the image and attach the result (`trivy image --format cosign-vuln -o vuln.json ...` then `cosign attest --type vuln --predicate vuln.json ...`).",
	Principle:   principleBaseline,
	Reads:       Images,
	Check:       checkScanMissing,
}

// VulnerabilityScanStale: the newest scan is older than allowed.
var VulnerabilityScanStale = &Rule{
	ID:          "vulnerability-scan-stale",
	Group:       Baseline,
	Severity:    Medium,
	Title:       "Vulnerability scan is older than allowed",
	Rationale:   "New vulnerabilities are published every day; a scan older than the policy's maximum age no longer says what the image ships.",
	Remediation: "Rescan the image and attach the new result, or rebuild it from a patched baseline.",
	Principle:   principleBaseline,
	Reads:       Images,
	Check:       checkScanStale,
}

// VulnerabilitiesOverThreshold: the scan found vulnerabilities at or above
// the policy's severity threshold.
var VulnerabilitiesOverThreshold = &Rule{
	ID:          "vulnerabilities-over-threshold",
	Group:       Baseline,
	Severity:    High,
	Title:       "Image has vulnerabilities at or above the threshold",
	Rationale:   "The signed scan of the image lists vulnerabilities the policy does not accept; every instance started from it starts vulnerable.",
	Remediation: "Rebuild from a patched baseline and redeploy by replacing instances; do not patch them in place.",
	Principle:   principleBaseline,
	Reads:       Images,
	Check:       checkOverThreshold,
}
