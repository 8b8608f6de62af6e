package rules

import "github.com/immutcheck/immutcheck/model"

// container is a Docker container instance with the given facts set by
// set.
func container(set func(in *model.Instance)) func() *model.File {
	return func() *model.File {
		in := &model.Instance{Kind: "Container", Subject: "container web", Location: model.Location{File: "container/web"}}
		set(in)
		return &model.File{Path: "docker", Instances: []*model.Instance{in}}
	}
}

// changeCase is the case of the drift rule of class c: bad has one change
// of that class, good one of another class.
func changeCase(c model.ChangeClass, path, subject, detail string) modelCase {
	other := model.FileChange
	if c == model.FileChange {
		other = model.EtcChange
	}
	return modelCase{
		bad: container(func(in *model.Instance) {
			in.Changes = []model.Change{{Class: c, Path: path, Subject: subject, Detail: detail}}
		}),
		good: container(func(in *model.Instance) {
			in.Changes = []model.Change{{Class: other, Path: path, Subject: subject, Detail: detail}}
		}),
		want: detail,
	}
}

// hostCases are the unit cases of the rules that judge containers and
// hosts read through their runtime or filesystem: the drift rules,
// foreign-process, unsigned-baseline.
var hostCases = map[*Rule]modelCase{
	PackageDrift:    changeCase(model.PackageChange, "/var/lib/dpkg/status", "package curl", "package curl 8.0 installed"),
	AccountDrift:    changeCase(model.AccountChange, "/etc/passwd", "user mallory", "user mallory added (uid 1001, gid 1001, home /home/mallory, shell /bin/sh)"),
	EtcDrift:        changeCase(model.EtcChange, "/etc/sysctl.conf", "", "content changed (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb, 10 → 30 bytes)"),
	PermissionDrift: changeCase(model.PermissionChange, "/usr/bin/find", "", "mode 0755 → 4755 (new setuid bit)"),
	ExecutableDrift: changeCase(model.ExecutableChange, "/opt/drop/implant", "", "added regular file (35280 bytes, mode 0755, owner 0:0)"),
	FileDrift:       changeCase(model.FileChange, "/usr/bin/yes", "", "removed regular file (31064 bytes, mode 0755, owner 0:0)"),
	ForeignProcess: {
		bad: container(func(in *model.Instance) {
			in.Processes = []model.Process{{PID: 50, Exe: "/opt/new", Command: "/opt/new -d", Origin: model.AddedAfterStart}}
		}),
		good: container(func(in *model.Instance) {
			in.Processes = []model.Process{{PID: 1, Exe: "/usr/bin/app", Command: "app", Origin: model.FromImage}}
		}),
		want: "runs /opt/new, which was added to the container after it started from the image (command: /opt/new -d)",
	},
	UnsignedBaseline: {
		bad: func() *model.File {
			return &model.File{Path: "/", Instances: []*model.Instance{{Kind: "Host", Subject: "host /", Baseline: &model.BaselineUse{Path: "host.baseline"}}}}
		},
		good: func() *model.File {
			return &model.File{Path: "/", Instances: []*model.Instance{{Kind: "Host", Subject: "host /", Baseline: &model.BaselineUse{Path: "host.baseline", Verified: true}}}}
		},
		want: "the baseline's signature was not verified",
	},
}
