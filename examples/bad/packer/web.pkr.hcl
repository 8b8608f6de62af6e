# A golden-image build that is not deterministic and leaves a configuration
# management agent running on every instance.
source "amazon-ebs" "web" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  source_ami_filter {
    filters = {
      name = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
    }
    owners      = ["099720109477"]
    most_recent = true # want: base-image-not-pinned
  }
  ssh_username = "ubuntu"
  ami_name     = "web-{{timestamp}}"
}

source "googlecompute" "web" {
  project_id          = "acme"
  source_image_family = "ubuntu-2204-lts" # want: base-image-not-pinned
  zone                = "europe-west1-b"
}

build {
  sources = ["source.amazon-ebs.web", "source.googlecompute.web"]

  provisioner "shell" {
    inline = [ # want: config-management-agent
      "apt-get update",
      "apt-get install -y puppet-agent",
    ]
  }
}
