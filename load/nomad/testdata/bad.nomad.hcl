variable "tag" {
  default = "7.2"
}

job "web" {
  datacenters = ["dc1"]

  group "cache" {
    network {
      mode = "host"
      port "ssh" {
        static = 22
      }
    }

    volume "data" {
      type   = "host"
      source = "redis-data"
    }

    update {
      max_parallel = 1
    }

    task "redis" {
      driver = "docker"

      config {
        image      = "redis:${var.tag}"
        privileged = true
        cap_add    = ["SYS_ADMIN"]
        volumes    = ["/var/lib/redis:/data"]
        command    = "sh"
        args       = ["-c", "apk add curl && redis-server"]
      }
    }

    task "agent" {
      driver = "raw_exec"

      config {
        command = "/usr/local/bin/agent"
      }
    }
  }
}
