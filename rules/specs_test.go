package rules

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// fileRuleCases are unit cases for rules that judge planned changes,
// reconcilers, IaC resources and other file-level values: bad turns a clean file into one
// that breaks the rule at wantLine.
var fileRuleCases = map[*Rule]struct {
	bad      func(f *model.File)
	wantLine int
}{
	InplaceUpdatePlanned: {func(f *model.File) {
		f.Changes = append(f.Changes, &model.PlannedChange{Source: "pulumi", Address: "urn:pulumi:s::p::aws:ec2/instance:Instance::vm", Type: "aws:ec2/instance:Instance", Actions: []string{"update"}, Changed: []string{"userData"}, Location: loc(30)})
	}, 30},
	DestroyBeforeCreate: {func(f *model.File) {
		f.Changes = append(f.Changes, &model.PlannedChange{Source: "pulumi", Address: "urn:pulumi:s::p::gcp:compute/instance:Instance::vm", Type: "gcp:compute/instance:Instance", Actions: []string{"delete", "create"}, Location: loc(31)})
	}, 31},
	NoContinuousReconciliation: {func(f *model.File) {
		f.Reconcilers = append(f.Reconcilers, &model.Reconciler{Source: "argocd", Kind: "Application", Name: "a", Location: loc(32)})
	}, 32},
	ConfigManagementAgent: {func(f *model.File) {
		f.Builds[0].Steps = append(f.Builds[0].Steps, model.Command{Shell: "systemctl enable --now salt-minion", Location: loc(33)})
	}, 33},
	ImperativeProvisioner: {func(f *model.File) {
		f.Resources = append(f.Resources, &model.Resource{Source: "terraform", Type: "aws_instance", Name: "aws_instance.web", Role: "instance", Location: loc(35),
			Provisioners: []model.Provisioner{{Type: "remote-exec", Location: loc(36)}}})
	}, 36},
	IgnoreChangesHidesDrift: {func(f *model.File) {
		f.Resources = append(f.Resources, &model.Resource{Source: "terraform", Type: "aws_instance", Name: "aws_instance.web", Role: "instance", Location: loc(37),
			Lifecycle: &model.Lifecycle{IgnoreChanges: []model.Setting{{Value: "ami", Location: loc(38)}}, Location: loc(38)}})
	}, 38},
	MutableLaunchTemplate: {func(f *model.File) {
		f.Resources = append(f.Resources, &model.Resource{Source: "terraform", Type: "aws_instance", Name: "aws_instance.web", Role: "instance", Location: loc(39),
			LaunchTemplate: &model.LaunchTemplateRef{Template: "lt", Version: model.Setting{Value: "$Latest", Location: loc(40)}, Location: loc(39)}})
	}, 40},
	NoAutomaticRollback: {func(f *model.File) {
		f.Workloads[0].Rollback = &model.Rollback{Mechanism: "update.auto_revert", Location: loc(34)}
	}, 34},
}

// checkFileCase runs one file-level case against the good baseline.
func checkFileCase(t *testing.T, r *Rule, bad func(*model.File), wantLine int) {
	t.Helper()
	f := &model.File{Path: "f.yaml", Workloads: []*model.Workload{goodWorkload()}, Builds: []*model.Build{goodBuild()}}
	bad(f)
	var got []Finding
	for _, fd := range evaluateFile(t, f) {
		if fd.Rule == r {
			got = append(got, fd)
		}
	}
	if len(got) == 0 || got[0].Location.Line != wantLine || got[0].Message == "" || got[0].Subject == "" {
		t.Errorf("rule %s: findings %+v, want one at line %d with subject and message", r.ID, got, wantLine)
	}
}

func evaluateFile(t *testing.T, f *model.File) []Finding {
	t.Helper()
	ev, err := NewEvaluator(All(), Settings{Options: Options{AllowedRegistries: []string{"ghcr.io/acme"}}})
	if err != nil {
		t.Fatal(err)
	}
	return ev.Evaluate(f)
}

// ids returns "rule:line" of each finding of the given rule.
func ids(fs []Finding, r *Rule) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == r {
			out = append(out, f.Location.String())
		}
	}
	return out
}

func TestNoContinuousReconciliation(t *testing.T) {
	t.Parallel()
	yes := func(l int) *model.BoolSetting { return &model.BoolSetting{Value: true, Location: loc(l)} }
	no := func(l int) *model.BoolSetting { return &model.BoolSetting{Value: false, Location: loc(l)} }
	mode := func(v string) *model.Setting { return &model.Setting{Value: v, Location: loc(9)} }
	tests := []struct {
		name string
		r    model.Reconciler
		want []string // locations
	}{
		{"argo manual sync", model.Reconciler{Source: "argocd", Kind: "Application"}, []string{"f.yaml:1"}},
		{"argo automated disabled", model.Reconciler{Source: "argocd", Kind: "Application", AutoSync: no(5), SelfHeal: yes(6)}, []string{"f.yaml:5"}},
		{"argo no selfHeal", model.Reconciler{Source: "argocd", Kind: "Application", AutoSync: yes(5)}, []string{"f.yaml:5"}},
		{"argo selfHeal false", model.Reconciler{Source: "argocd", Kind: "ApplicationSet", AutoSync: yes(5), SelfHeal: no(6)}, []string{"f.yaml:6"}},
		{"argo self-healing", model.Reconciler{Source: "argocd", Kind: "Application", AutoSync: yes(5), SelfHeal: yes(6)}, nil},
		{"flux kustomization", model.Reconciler{Source: "flux", Kind: "Kustomization"}, nil},
		{"flux kustomization suspend false", model.Reconciler{Source: "flux", Kind: "Kustomization", Suspended: no(7)}, nil},
		{"flux suspended", model.Reconciler{Source: "flux", Kind: "Kustomization", Suspended: yes(7)}, []string{"f.yaml:7"}},
		{"helm no drift detection", model.Reconciler{Source: "flux", Kind: "HelmRelease"}, []string{"f.yaml:1"}},
		{"helm drift warn", model.Reconciler{Source: "flux", Kind: "HelmRelease", DriftDetection: mode("warn")}, []string{"f.yaml:9"}},
		{"helm suspended and disabled", model.Reconciler{Source: "flux", Kind: "HelmRelease", Suspended: yes(7), DriftDetection: mode("disabled")}, []string{"f.yaml:7", "f.yaml:9"}},
		{"helm drift enabled", model.Reconciler{Source: "flux", Kind: "HelmRelease", DriftDetection: mode("enabled")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.r
			r.Name, r.Location = "x", loc(1)
			got := ids(evaluateFile(t, &model.File{Path: "f.yaml", Reconcilers: []*model.Reconciler{&r}}), NoContinuousReconciliation)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("findings at %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMachineImages(t *testing.T) {
	t.Parallel()
	b := goodBuild()
	b.Source = "packer"
	b.MachineImages = []model.MachineImage{
		{Field: "source_ami", Value: "ami-0123", Location: loc(3)},
		{Field: "source_image_family", Value: "debian-12", Query: true, Location: loc(4)},
	}
	got := ids(evaluateFile(t, &model.File{Path: "f.yaml", Builds: []*model.Build{b}}), BaseImageNotPinned)
	if strings.Join(got, " ") != "f.yaml:4" {
		t.Errorf("findings at %v, want only the family at f.yaml:4", got)
	}
}

func TestAgentActivations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		script string
		want   int
	}{
		{"systemctl enable puppet", 1},
		{"systemctl enable --now salt-minion.service", 1},
		{"service chef-client start", 1},
		{"update-rc.d puppet defaults", 1},
		{"chef-client -d -i 1800", 1},
		{"chef-client -z -o recipe[web]", 0},
		{"puppet agent --onetime --no-daemonize", 0},
		{"puppet agent", 1},
		{"puppet apply site.pp", 0},
		{"apt-get install -y salt-minion", 1},
		{"yum install -y nginx", 0},
		{"echo '*/30 * * * * root ansible-pull -U https://git/x' > /etc/cron.d/pull", 1},
		{"ansible-pull -U https://git/x", 0},
		{"systemctl disable puppet", 0},
		{"sudo sh -c 'systemctl enable puppet'", 1},
	}
	for _, tt := range tests {
		if got := agentActivations(model.Command{Shell: tt.script}); len(got) != tt.want {
			t.Errorf("%q: %d activations %v, want %d", tt.script, len(got), got, tt.want)
		}
	}
}

func TestAgentDisabledLater(t *testing.T) {
	t.Parallel()
	b := goodBuild()
	b.Steps = []model.Command{
		{Shell: "apt-get install -y puppet-agent", Location: loc(3)},
		{Shell: "puppet apply /tmp/site.pp && systemctl disable --now puppet", Location: loc(4)},
	}
	if got := ids(evaluateFile(t, &model.File{Path: "f.yaml", Builds: []*model.Build{b}}), ConfigManagementAgent); len(got) != 0 {
		t.Errorf("agent disabled later in the build is reported at %v", got)
	}
	b.Steps = b.Steps[:1]
	if got := ids(evaluateFile(t, &model.File{Path: "f.yaml", Builds: []*model.Build{b}}), ConfigManagementAgent); len(got) != 1 {
		t.Errorf("agent left enabled: findings at %v, want one", got)
	}
}
