package rules

import (
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// goodFile is a file of planned changes, resources and reconcilers that
// breaks no rule.
func goodFile() *model.File {
	return &model.File{
		Path: "f.yaml",
		Changes: []*model.PlannedChange{
			{Source: "terraform", Address: "aws_instance.a", Type: "aws_instance", Actions: []string{"create", "delete"}, Location: loc(1)},
			{Source: "terraform", Address: "aws_s3_bucket.b", Type: "aws_s3_bucket", Actions: []string{"update"}, Location: loc(2)},
			{Source: "cloudformation", Address: "Web", Type: "AWS::EC2::Instance", Actions: []string{"update"}, Replacement: "Conditional", Location: loc(3)},
			{Source: "terraform", Address: "aws_instance.t", Type: "aws_instance", Actions: []string{"update"}, Changed: []string{"tags.Name", "tags_all.Name"}, Location: loc(5)},
			{Source: "cloudformation", Address: "Tagged", Type: "AWS::EC2::Instance", Actions: []string{"update"}, Replacement: "False", Changed: []string{"Tags"}, Location: loc(6)},
			{Source: "terraform", Address: "azurerm_linux_virtual_machine_scale_set.s", Type: "azurerm_linux_virtual_machine_scale_set", Actions: []string{"update"}, Settings: map[string]string{"upgrade_mode": "Rolling"}, Location: loc(4)},
		},
		Resources: []*model.Resource{
			{Source: "terraform", Type: "aws_instance", Name: "aws_instance.a", Role: "instance", Location: loc(10),
				Lifecycle:    &model.Lifecycle{IgnoreChanges: []model.Setting{{Value: "tags", Location: loc(11)}}},
				Provisioners: []model.Provisioner{{Type: "local-exec", Commands: []model.Command{{Shell: "echo done >> log", Location: loc(12)}}}},
				UserData:     &model.UserData{Commands: []model.Command{{Shell: "systemctl disable --now puppet", Location: loc(13)}}},
			},
			{Source: "terraform", Type: "aws_autoscaling_group", Name: "aws_autoscaling_group.g", Role: "instance-group", Location: loc(20),
				LaunchTemplate: &model.LaunchTemplateRef{Template: "lt", Version: model.Setting{Value: "aws_launch_template.x.latest_version", Location: loc(21)}},
				Rollout:        &model.Rollout{Kind: "instance_refresh", AutoRollback: &model.BoolSetting{Value: true, Location: loc(22)}, Location: loc(22)},
			},
			{Source: "terraform", Type: "aws_security_group", Name: "aws_security_group.s", Role: "firewall", Location: loc(30),
				Ingress: []model.IngressRule{{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"10.0.0.0/8"}, Location: loc(31)}, {FromPort: 443, ToPort: 443, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}, Location: loc(32)}}},
		},
		Reconcilers: []*model.Reconciler{{Source: "argocd", Kind: "Application", Name: "a", Location: loc(40),
			AutoSync: &model.BoolSetting{Value: true, Location: loc(41)}, SelfHeal: &model.BoolSetting{Value: true, Location: loc(42)}}},
	}
}

// fileCases holds, for the rules that judge planned changes, resources and
// reconcilers, a change that makes goodFile bad and the line expected.
var fileCases = map[*Rule]struct {
	bad      func(f *model.File)
	wantLine int
}{
	InplaceUpdatePlanned: {func(f *model.File) {
		f.Changes[0].Actions = []string{"update"}
		f.Changes[0].Changed, f.Changes[0].Sensitive = []string{"user_data"}, []string{"user_data"}
	}, 1},
	DestroyBeforeCreate: {func(f *model.File) { f.Changes[0].Actions = []string{"delete", "create"} }, 1},
	ImperativeProvisioner: {func(f *model.File) {
		f.Resources[0].Provisioners[0].Commands[0].Shell = "ansible-playbook -i ${self.public_ip}, site.yml"
	}, 12},
	ConfigManagementAgent: {func(f *model.File) {
		f.Resources[0].UserData.Commands[0].Shell = "systemctl enable --now puppet"
	}, 13},
	IgnoreChangesHidesDrift: {func(f *model.File) {
		f.Resources[0].Lifecycle.IgnoreChanges[0].Value = "launch_template[0].version"
	}, 11},
	MutableLaunchTemplate:      {func(f *model.File) { f.Resources[1].LaunchTemplate.Version.Value = "$Default" }, 21},
	NoAutomaticRollback:        {func(f *model.File) { f.Resources[1].Rollout.AutoRollback.Value = false }, 22},
	NoContinuousReconciliation: {func(f *model.File) { f.Reconcilers[0].SelfHeal.Value = false }, 42},
}

// TestFileRulesGoodAndBad is TestRulesGoodAndBad for the rules that read
// planned changes, resources and reconcilers; ssh-access is tested on
// firewall rules in TestSSHAccessResources.
func TestFileRulesGoodAndBad(t *testing.T) {
	t.Parallel()
	ev, err := NewEvaluator(All(), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if fs := ev.Evaluate(goodFile()); len(fs) != 0 {
		t.Fatalf("good file has findings: %+v", fs)
	}
	for r, c := range fileCases {
		f := goodFile()
		c.bad(f)
		var got []Finding
		for _, fd := range ev.Evaluate(f) {
			if fd.Rule == r {
				got = append(got, fd)
			}
		}
		if len(got) != 1 || got[0].Location.Line != c.wantLine || got[0].Subject == "" {
			t.Errorf("rule %s: findings %+v, want one at line %d", r.ID, got, c.wantLine)
		}
	}
}

func TestSSHAccessResources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rule  model.IngressRule
		ports []int
		want  bool
	}{
		{"22 from anywhere", model.IngressRule{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}}, nil, true},
		{"range over 22 from ::/0", model.IngressRule{FromPort: 0, ToPort: 1024, Protocol: "6", Sources: []string{"::/0"}}, nil, true},
		{"all protocols", model.IngressRule{All: true, Protocol: "-1", Sources: []string{"Internet"}}, nil, true},
		{"udp only", model.IngressRule{FromPort: 22, ToPort: 22, Protocol: "udp", Sources: []string{"0.0.0.0/0"}}, nil, false},
		{"private source", model.IngressRule{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"10.0.0.0/8"}}, nil, false},
		{"unknown port", model.IngressRule{FromPort: -1, ToPort: -1, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}}, nil, false},
		{"configured port", model.IngressRule{FromPort: 2222, ToPort: 2222, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}}, []int{2222}, true},
		{"22 not configured", model.IngressRule{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}}, []int{2222}, false},
	}
	for _, tt := range tests {
		ev, err := NewEvaluator(All(), Settings{Options: Options{SSHPorts: tt.ports}})
		if err != nil {
			t.Fatal(err)
		}
		f := &model.File{Path: "f", Resources: []*model.Resource{{Type: "aws_security_group", Name: "sg", Role: "firewall", Location: loc(1), Ingress: []model.IngressRule{tt.rule}}}}
		got := len(ev.Evaluate(f)) == 1
		if got != tt.want {
			t.Errorf("%s: fired = %v, want %v", tt.name, got, tt.want)
		}
	}
	// A key pair is an info finding.
	ev, _ := NewEvaluator(All(), Settings{})
	fs := ev.Evaluate(&model.File{Path: "f", Resources: []*model.Resource{{Type: "aws_instance", Name: "i", Role: "instance", Location: loc(1), KeyName: &model.Setting{Value: "ops", Location: loc(2)}}}})
	if len(fs) != 1 || fs[0].Rule != SSHAccess || fs[0].Severity != Info || fs[0].Location.Line != 2 {
		t.Errorf("key pair findings = %+v, want one info ssh-access at line 2", fs)
	}
}

func TestInstanceTypesOption(t *testing.T) {
	t.Parallel()
	f := &model.File{Path: "f", Changes: []*model.PlannedChange{{Source: "terraform", Address: "x.y", Type: "example_server", Actions: []string{"update"}, Location: loc(1)}}}
	for _, extra := range [][]string{nil, {"example_server"}} {
		ev, err := NewEvaluator(All(), Settings{Options: Options{InstanceTypes: extra}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(ev.Evaluate(f)), len(extra); got != want {
			t.Errorf("InstanceTypes %v: %d findings, want %d", extra, got, want)
		}
	}
}
