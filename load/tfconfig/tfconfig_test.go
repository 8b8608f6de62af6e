package tfconfig

import (
	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

func TestLoadRejectsWithLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"unclosed block", "resource \"aws_instance\" \"a\" {\n  ami = \"x\"\n", 1, "parse terraform"},
		{"bad attribute", "resource \"aws_instance\" \"a\" {\n  ami = = \"x\"\n}\n", 2, "parse terraform"},
		{"too deep", "locals {\n x = " + strings.Repeat("[", hclread.MaxNesting+1) + "\n}\n", 2, "nesting deeper than"},
		// Brackets hidden in strings fooled a byte count and overflowed the
		// parser's stack: nesting is now counted on tokens.
		{"deep through strings", "locals {\n x = " + strings.Repeat(`["]",`, 200000) + "\n}\n", 2, "nesting deeper than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("main.tf", []byte(tt.src))
			if len(f.Problems) == 0 {
				t.Fatal("no problem reported")
			}
			p := f.Problems[0]
			if p.Kind != model.Rejected || p.Location.File != "main.tf" || p.Location.Line != tt.line || !strings.Contains(p.Err.Error(), tt.want) {
				t.Errorf("problem = %v at %v, want %q at line %d", p.Err, p.Location, tt.want, tt.line)
			}
		})
	}
}

func TestLoadResource(t *testing.T) {
	t.Parallel()
	src := `variable "port" {}

resource "aws_instance" "web" {
  ami       = var.ami
  key_name  = "ops"
  user_data = <<-EOT
    #cloud-config
    puppet:
      install: true
    runcmd:
      - [ansible-pull, -U, "https://git.example.com/site.git"]
  EOT

  lifecycle {
    create_before_destroy = false
    ignore_changes        = [ami, tags["Name"]]
    replace_triggered_by  = [null_resource.config.id]
  }
}

resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = 20
      to_port     = 25
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "-1"
    cidr_blocks = ["::/0"]
  }
}
`
	f := Load("main.tf", []byte(src))
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems[0].Err)
	}
	if len(f.Resources) != 2 {
		t.Fatalf("got %d resources", len(f.Resources))
	}
	web := f.Resources[0]
	at := func(line, col int) model.Location { return model.Location{File: "main.tf", Line: line, Column: col} }
	wantLC := &model.Lifecycle{
		IgnoreChanges:       []model.Setting{{Value: "ami", Location: at(16, 5)}, {Value: `tags["Name"]`, Location: at(16, 5)}},
		CreateBeforeDestroy: &model.BoolSetting{Value: false, Location: at(15, 5)},
		ReplaceTriggeredBy:  []model.Setting{{Value: "null_resource.config.id", Location: at(17, 5)}},
		Location:            at(14, 3),
	}
	if diff := cmp.Diff(wantLC, web.Lifecycle); diff != "" {
		t.Errorf("lifecycle (-want +got):\n%s", diff)
	}
	if web.KeyName == nil || web.KeyName.Value != "ops" || web.Role != "instance" {
		t.Errorf("key name %+v, role %q", web.KeyName, web.Role)
	}
	if u := web.UserData; u == nil || !u.CloudConfig || !cmp.Equal(u.Modules, []string{"puppet", "runcmd"}) || len(u.Commands) != 1 || u.Commands[0].Args[0] != "ansible-pull" {
		t.Errorf("user data = %+v", web.UserData)
	}
	sg := f.Resources[1]
	wantIn := []model.IngressRule{
		{FromPort: 20, ToPort: 25, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}, Location: at(22, 3)},
		{All: true, Protocol: "-1", Sources: []string{"::/0"}, Location: at(31, 3)},
	}
	if diff := cmp.Diff(wantIn, sg.Ingress); diff != "" {
		t.Errorf("ingress (-want +got):\n%s", diff)
	}
}

func TestIgnores(t *testing.T) {
	t.Parallel()
	src := `# immutcheck:ignore ssh-access,mutable-launch-template bastion, see SEC-1
resource "aws_instance" "a" {
  key_name = "x" # immutcheck:ignore ssh-access break-glass key
  # immutcheck:ignore ignore-changes-hides-drift
  lifecycle {
    ignore_changes = all
  }
}
`
	f := Load("main.tf", []byte(src))
	want := []model.Ignore{
		{Rules: []string{"ssh-access", "mutable-launch-template"}, Reason: "bastion, see SEC-1", Location: model.Location{File: "main.tf", Line: 1, Column: 1}},
		{Rules: []string{"ssh-access"}, Reason: "break-glass key", Line: 3, Location: model.Location{File: "main.tf", Line: 3, Column: 18}},
		{Rules: []string{"ignore-changes-hides-drift"}, Line: 5, Location: model.Location{File: "main.tf", Line: 4, Column: 3}},
	}
	if diff := cmp.Diff(want, f.Resources[0].Ignores); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
}

// FuzzLoad feeds arbitrary bytes to the HCL loader: no panic, and a
// rejected file yields no resources.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"resource \"a\" \"b\" {\n lifecycle { ignore_changes = all }\n provisioner \"remote-exec\" { inline = [\"x\"] }\n}\n",
		"resource \"aws_security_group\" \"s\" {\n dynamic \"ingress\" { content { from_port = 22 } }\n}\n",
		"resource \"aws_instance\" \"w\" {\n user_data = base64encode(\"#cloud-config\\nruncmd: [[a]]\")\n}\n",
		"# immutcheck:ignore a,b c\nresource \"x\" \"y\" {}\n",
		"resource \"x\" \"y\" {", strings.Repeat("(", 300), "a = <<EOT\n${x}\nEOT\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.tf", data)
		if len(file.Problems) > 0 && len(file.Resources) > 0 {
			t.Fatal("rejected file yields resources")
		}
	})
}
