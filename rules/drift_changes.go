package rules

import "github.com/immutcheck/immutcheck/model"

// changeClass returns the check of the drift rule that judges changes of
// class c: every classified change of an instance's tree is reported under
// the rule of its class, at its path. A privileged change (a new setuid or
// setgid bit, new file capabilities, an account given uid 0) is critical.
func changeClass(c model.ChangeClass) func(*Pass) {
	return func(p *Pass) {
		for _, in := range p.File.Instances {
			for i := range in.Changes {
				ch := &in.Changes[i]
				if ch.Class != c {
					continue
				}
				subject := ch.Subject
				if subject == "" {
					subject = ch.Path
				}
				f := atPath(p, in, subject, ch.Path, "%s", ch.Detail)
				if ch.Privileged {
					f.Severity = Critical
				}
			}
		}
	}
}

// atPath reports a finding about subject at path inside instance in. The
// findings of an instance that has a location (a Docker container,
// "container/web") are located at "container/web:/etc/passwd" and their
// subjects are prefixed with the instance's ("container web:
// /etc/passwd"); a host checked on its own (immutcheck drift) has no
// location, and its findings point at its paths.
func atPath(p *Pass, in *model.Instance, subject, path, format string, args ...any) *Finding {
	loc := model.Location{File: path}
	if in.Location.File != "" {
		loc.File = in.Location.File + ":" + path
		subject = in.Subject + ": " + subject
	}
	p.Reportf(subject, in.Ignores, loc, format, args...)
	f := &p.findings[len(p.findings)-1]
	f.Object = in.Object
	return f
}

// unsignedBaseline reports every instance compared with a baseline whose
// signature was not verified.
func unsignedBaseline(p *Pass) {
	for _, in := range p.File.Instances {
		if b := in.Baseline; b != nil && !b.Verified {
			p.Reportf("baseline "+b.Path, in.Ignores, model.Location{File: b.Path},
				"the baseline's signature was not verified (--allow-unsigned); this comparison proves nothing against someone who can change the baseline")
		}
	}
}
