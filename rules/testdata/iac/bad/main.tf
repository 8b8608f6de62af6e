resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  key_name      = "deployer"                                    # want: ssh-access
  user_data     = "#!/bin/bash\nsystemctl enable --now puppet\n" # want: config-management-agent

  provisioner "remote-exec" { # want: imperative-provisioner
    inline = ["sudo apt-get upgrade -y"]
  }

  provisioner "local-exec" {
    command = "ssh ubuntu@${self.public_ip} sudo systemctl restart app" # want: imperative-provisioner
  }

  lifecycle {
    ignore_changes = [ami, tags] # want: ignore-changes-hides-drift
  }
}

resource "aws_instance" "all" {
  ami = "ami-0123456789abcdef0"

  lifecycle {
    ignore_changes = all # want: ignore-changes-hides-drift
  }
}

resource "aws_autoscaling_group" "app" { # want: mutable-launch-template
  min_size = 1
  max_size = 3

  launch_template {
    id      = aws_launch_template.app.id
    version = "$Latest" # want: mutable-launch-template
  }
}

resource "aws_autoscaling_group" "refresh" {
  min_size = 1
  max_size = 3

  launch_template {
    id      = aws_launch_template.app.id
    version = aws_launch_template.app.latest_version
  }

  instance_refresh { # want: no-automatic-rollback
    strategy = "Rolling"
  }
}

resource "aws_security_group" "ssh" {
  name = "ssh"

  ingress { # want: ssh-access
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "google_compute_firewall" "ssh" {
  name          = "ssh"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["20-30"] # want: ssh-access
  }
}
