variable "region" {
  default = "eu-west-1"
}

source "amazon-ebs" "web" {
  region        = var.region
  instance_type = "t3.small"
  source_ami_filter {
    filters = {
      name = "ubuntu/images/*ubuntu-jammy-22.04-amd64-server-*"
    }
    owners      = ["099720109477"]
    most_recent = true
  }
  ssh_username = "ubuntu"
  ami_name     = "web-{{timestamp}}"
}

source "googlecompute" "web" {
  project_id          = "acme"
  source_image_family = "ubuntu-2204-lts"
  zone                = "europe-west1-b"
}

source "docker" "web" {
  image  = "ubuntu"
  commit = true
}

build {
  sources = ["source.amazon-ebs.web", "source.googlecompute.web", "source.docker.web"]

  provisioner "shell" {
    inline = [
      "apt-get update",
      "apt-get install -y puppet-agent",
      "systemctl enable salt-minion",
    ]
  }
}
