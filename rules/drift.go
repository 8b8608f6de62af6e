package rules

import "github.com/immutcheck/immutcheck/model"

// The drift rules judge the classified changes (model.Change) that the
// drift engine (package drift) and live/docker find when they compare a
// host or container tree with its image or baseline, and the processes
// they read; drift_changes.go and process.go hold their checks.

// PackageDrift: packages installed, removed or changed in place.
var PackageDrift = &Rule{
	ID:          "package-drift",
	Group:       Drift,
	Severity:    High,
	Title:       "Packages were installed, removed or changed in place",
	Rationale:   "A package installed or upgraded on a running instance makes it differ from every other instance of its image and from what was tested; the change is lost at the next replacement, or worse, kept by hand.",
	Remediation: "Add or remove the package in the image build, publish a new image and replace the instance.",
	Principle:   principleDrift,
	Check:       changeClass(model.PackageChange),
	Reads:       Containers,
}

// AccountDrift: users, groups, sudo rules or SSH keys changed.
var AccountDrift = &Rule{
	ID:          "account-drift",
	Group:       Drift,
	Severity:    High,
	Title:       "Accounts, sudo rules or SSH keys changed",
	Rationale:   "A new user, a changed UID, an edited sudoers file or an added authorized key grants access that no image review approved; it is also what an intruder leaves behind.",
	Remediation: "Replace the instance; manage accounts and keys in the image or through the platform's identity service, never by hand on the host.",
	Principle:   principleDrift,
	Check:       changeClass(model.AccountChange),
	Reads:       Containers,
}

// EtcDrift: configuration under /etc changed.
var EtcDrift = &Rule{
	ID:          "etc-drift",
	Group:       Drift,
	Severity:    Medium,
	Title:       "Configuration under /etc changed",
	Rationale:   "Configuration edited on the instance is invisible to version control and to the next instance started from the same image.",
	Remediation: "Make the change in the image or in the declared configuration (cloud-init, ConfigMap), then replace the instance.",
	Principle:   principleDrift,
	Check:       changeClass(model.EtcChange),
	Reads:       Containers,
}

// PermissionDrift: mode, owner or file capabilities changed.
var PermissionDrift = &Rule{
	ID:          "permission-drift",
	Group:       Drift,
	Severity:    Medium,
	Title:       "File permissions, owner or capabilities changed",
	Rationale:   "Widened permissions and new setuid, setgid or capability bits are the classic way to keep privileged access on a host; a new setuid bit or file capability is reported as critical.",
	Remediation: "Replace the instance; set permissions in the image build.",
	Principle:   principleDrift,
	Check:       changeClass(model.PermissionChange),
	Reads:       Containers,
}

// ExecutableDrift: new or modified executable outside any package.
var ExecutableDrift = &Rule{
	ID:          "executable-drift",
	Group:       Drift,
	Severity:    High,
	Title:       "Executable added or modified outside the package manager",
	Rationale:   "An executable that no package installed, or a packaged binary whose content no longer matches the image, is code that was never built, scanned or signed with the image.",
	Remediation: "Replace the instance from its image; ship tools in the image build, and investigate how the file got there.",
	Principle:   principleDrift,
	Check:       changeClass(model.ExecutableChange),
	Reads:       Containers,
}

// FileDrift: any other file change.
var FileDrift = &Rule{
	ID:          "file-drift",
	Group:       Drift,
	Severity:    Low,
	Title:       "Files changed compared with the image",
	Rationale:   "Files added, removed or modified outside the volatile paths mean the instance is no longer a copy of its image.",
	Remediation: "Move state to volumes or external services, add truly volatile paths to drift.ignore, and replace the instance.",
	Principle:   principleDrift,
	Check:       changeClass(model.FileChange),
	Reads:       Containers,
}

// ForeignProcess: a process runs an executable that is not the image's.
var ForeignProcess = &Rule{
	ID:          "foreign-process",
	Group:       Drift,
	Severity:    Critical,
	Title:       "Process runs an executable that is not from the image",
	Rationale:   "A process whose executable is absent from the baseline, modified, or deleted from disk after it started is running code the image does not contain — the signature of an implant.",
	Remediation: "Capture what is needed for investigation, then replace the instance.",
	Principle:   principleDrift,
	Check:       foreignProcess,
	Reads:       Containers,
}

// DriftUnchecked: part of the tree could not be compared.
var DriftUnchecked = &Rule{
	ID:            "drift-unchecked",
	Group:         Input,
	Severity:      High,
	Title:         "Part of the tree could not be checked for drift",
	Rationale:     "An unreadable directory, a file changed while it was read or a filesystem that was not entered may hide any change; it is never reported as unchanged.",
	Remediation:   "Run as a user that can read the whole tree, exclude truly volatile paths with drift.ignore, or pass --cross-filesystems; then check again.",
	Principle:     principleInput,
	Reads:         Containers,
	Locked:        "what could not be checked is never reported as clean",
	CouldNotCheck: true,
}

// UnsignedBaseline: drift compared with a baseline whose signature was not
// verified, because --allow-unsigned was given.
var UnsignedBaseline = &Rule{
	ID:          "unsigned-baseline",
	Group:       Input,
	Severity:    Medium,
	Title:       "Drift was checked against an unsigned baseline",
	Rationale:   "Whoever can write the baseline file decides what counts as drift; without a verified signature the comparison proves nothing against someone who changed both the host and its baseline.",
	Remediation: "Sign baselines in CI (immutcheck baseline sign, or cosign sign-blob) and pass the public key with --key instead of --allow-unsigned.",
	Principle:   principleInput,
	Check:       unsignedBaseline,
	Reads:       Containers,
	Locked:      "a comparison with an unverified baseline proves nothing and must say so",
}

// RunningDigestMismatch: a running instance runs another image than the one
// its declaration pins; the same check judges pods and Docker containers.
var RunningDigestMismatch = &Rule{
	ID:          "running-digest-mismatch",
	Group:       Artifact,
	Severity:    High,
	Title:       "Running instance does not run the declared image digest",
	Rationale:   "The declaration is the record of what runs: an instance started from another build (a tag that moved, an image loaded by hand, a container started outside the pipeline) is unknown software as far as review, signatures and rollback are concerned.",
	Remediation: "Recreate the instance from the declared digest (immutcheck docker --remediate recreates it from its own digest; redeploy to move it to the declared one), and pin declarations by digest so the two can be compared.",
	Principle:   principleArtifact,
	Check:       runningDigestMismatch,
	Reads:       AnyInstance,
}
