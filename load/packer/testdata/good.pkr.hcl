source "amazon-ebs" "web" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  source_ami    = "ami-0a1b2c3d4e5f60718"
  ssh_username  = "ubuntu"
  ami_name      = "web-{{timestamp}}"
}

source "docker" "web" {
  image  = "ubuntu:22.04@sha256:4c8c1a4f2e1d0b3a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928"
  commit = true
}

build {
  sources = ["source.amazon-ebs.web", "source.docker.web"]

  provisioner "shell" {
    inline = [
      "apt-get update",
      "apt-get install -y nginx puppet-agent",
      "puppet apply /tmp/site.pp",
      "systemctl disable --now puppet",
    ]
  }
}
