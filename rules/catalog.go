package rules

// Principles of immutable infrastructure that the rules enforce, one per
// group.
const (
	principleArtifact    = "Deploy only versioned, immutable, verified images."
	principleDisposable  = "Any instance can be thrown away and replaced at any time."
	principleDrift       = "A running instance equals its image; what drifts is replaced, not repaired."
	principleDeclarative = "Every change is a declared replacement; nothing is edited in place."
	principleRollback    = "The previous version is always ready to roll back to."
	principleBaseline    = "Every instance starts from a hardened, traceable baseline."
	principleInput       = "What could not be checked is never reported as clean."
)

// All returns the catalog: every rule, in documentation order. The slice is
// new on each call; the rules are shared.
func All() []*Rule {
	return []*Rule{
		// artifact
		ImageNotPinned,
		ImageLatestTag,
		RegistryNotAllowed,
		BaseImageNotPinned,
		AddURLWithoutChecksum,
		ImageDigestNotFound,
		TagMoved,
		ImageUnsigned,
		SignatureInvalid,
		RunningDigestMismatch,
		// disposable
		WritableRootFilesystem,
		HostPathVolume,
		UnmanagedInstance,
		MissingHealthProbe,
		NoReplacementStrategy,
		InstanceTooOld,
		// drift
		PackageDrift, AccountDrift, EtcDrift, PermissionDrift,
		ExecutableDrift, FileDrift, ForeignProcess,
		ReplicaDigestSkew, PodModifiedInPlace, EphemeralContainer,
		ExecSession, NodeImageSkew,
		// declarative
		RuntimePackageInstall,
		InplaceUpdatePlanned,
		NoContinuousReconciliation,
		ConfigManagementAgent,
		ImperativeProvisioner,
		IgnoreChangesHidesDrift,
		MutableLaunchTemplate,
		// rollback
		NoRevisionHistory,
		DestroyBeforeCreate,
		NoAutomaticRollback,
		RollbackImageMissing,
		// baseline
		SSHAccess,
		PrivilegedInstance,
		ProvenanceMissing,
		ProvenanceMismatch,
		VulnerabilityScanMissing,
		VulnerabilityScanStale,
		VulnerabilitiesOverThreshold,
		// input
		LoadError,
		UnknownFieldRule,
		InvalidSuppression,
		ImageCheckFailed,
		DriftUnchecked, UnsignedBaseline,
		ClusterUnchecked,
	}
}

// ByID returns the rule of the catalog with the given ID, or nil.
func ByID(id string) *Rule {
	for _, r := range All() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
