resource "aws_launch_template" "app" {
  image_id  = "ami-0123456789abcdef0"
  user_data = base64encode("#!/bin/bash\necho ready > /run/ready\n")
}

resource "aws_instance" "web" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  user_data                   = "#!/bin/bash\necho ready > /run/ready\n"
  user_data_replace_on_change = true

  provisioner "local-exec" {
    command = "echo ${self.id} >> instances.log"
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}

resource "aws_autoscaling_group" "app" {
  min_size = 1
  max_size = 3

  launch_template {
    id      = aws_launch_template.app.id
    version = aws_launch_template.app.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      auto_rollback = true
    }
  }
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

# immutcheck:ignore ssh-access bastion host, reviewed in SEC-42
resource "aws_security_group_rule" "bastion" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
