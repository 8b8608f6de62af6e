package rules

// LoadError is reported for every input, or object in an input, that could
// not be read. Its findings make the scan exit 3 ("could not check").
var LoadError = &Rule{
	ID:            "load-error",
	Group:         Input,
	Severity:      High,
	Title:         "Input could not be read",
	Rationale:     "An input that cannot be parsed cannot be checked; treating it as clean would let anything through. The object may also be read differently by the tool that applies it.",
	Remediation:   "Fix the input at the location shown (the message says what is wrong), or exclude the path in .immutcheck.yaml if it is not a deployable declaration.",
	Principle:     principleInput,
	Reads:         Declarations,
	Locked:        "an input that cannot be read is never reported as clean",
	CouldNotCheck: true,
}

// UnknownFieldRule is reported for fields that the object's schema does not
// know. The API server drops or rejects them, so what is reviewed is not
// what is applied.
var UnknownFieldRule = &Rule{
	ID:          "unknown-field",
	Group:       Input,
	Severity:    Medium,
	Title:       "Object has fields its schema does not know",
	Rationale:   "The API server rejects unknown fields under strict validation and silently drops them otherwise; a misspelt securityContext or readOnlyRootFilesystem looks safe in review and does nothing.",
	Remediation: "Remove or correct the field; check its spelling and indentation against the API reference.",
	Principle:   principleInput,
	Reads:       Declarations,
}

// InvalidSuppression is reported for suppressions that name no known rule or
// give no reason. Such a suppression is not applied.
var InvalidSuppression = &Rule{
	ID:          "invalid-suppression",
	Group:       Input,
	Severity:    Medium,
	Title:       "Suppression without a reason or with an unknown rule",
	Rationale:   "Every exception to the policy must say why it is acceptable so that it can be reviewed; a suppression of a rule that does not exist hides nothing and is probably a typo.",
	Remediation: "Write the suppression as `immutcheck.dev/ignore: \"<rule>[,<rule>]: <reason>\"` or `# immutcheck:ignore <rule> <reason>`.",
	Principle:   principleInput,
	Reads:       Declarations | AnyInstance,
}

// ImageCheckFailed is reported when an image could not be checked against
// its registry: unreachable, timed out, refused, or serving a document that
// was rejected (over a size or count limit, ambiguous, or hashing to
// another digest than requested). Like load-error it makes the run exit 3.
var ImageCheckFailed = &Rule{
	ID:            "image-check-failed",
	Group:         Input,
	Severity:      High,
	Title:         "Image could not be checked against its registry",
	Rationale:     "An image whose registry could not be asked, or that served a document that was rejected, is unverified; reporting it as clean would let anything through.",
	Remediation:   "Check registry reachability and credentials (docker login), or whether the registry serves what it should; then run the check again.",
	Principle:     principleInput,
	Reads:         Images,
	Locked:        "an image that could not be checked is never reported as clean",
	CouldNotCheck: true,
}
