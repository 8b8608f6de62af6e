# A golden-image build from a fixed AMI; Puppet runs once while baking and
# its agent is disabled before the image is captured.
source "amazon-ebs" "web" {
  region        = "eu-west-1"
  instance_type = "t3.small"
  source_ami    = "ami-0a1b2c3d4e5f60718"
  ssh_username  = "ubuntu"
  ami_name      = "web-{{timestamp}}"
}

build {
  sources = ["source.amazon-ebs.web"]

  provisioner "shell" {
    inline = [
      "apt-get update",
      "apt-get install -y nginx puppet-agent",
      "puppet apply /tmp/site.pp",
      "systemctl disable --now puppet",
    ]
  }
}
