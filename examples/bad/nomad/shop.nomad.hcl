# A Nomad job that breaks the rules: no auto_revert, host state, a privileged
# task with an unpinned image, SSH exposed and packages installed at start.
job "shop" {
  datacenters = ["dc1"]

  group "web" {
    network {
      port "ssh" {
        static = 22 # want: ssh-access
      }
    }

    volume "data" { # want: host-path-volume
      type   = "host"
      source = "shop-data"
    }

    update { # want: no-automatic-rollback
      max_parallel = 1
    }

    task "web" { # want: missing-health-probe, writable-root-filesystem
      driver = "docker"

      config {
        image      = "nginx:1.27" # want: image-not-pinned, registry-not-allowed
        privileged = true         # want: privileged-instance
        volumes    = ["/var/lib/shop:/data"] # want: host-path-volume
        command    = "sh"         # want: runtime-package-install
        args       = ["-c", "apk add curl && nginx -g 'daemon off;'"]
      }
    }

    task "agent" { # want: missing-health-probe, writable-root-filesystem
      driver = "raw_exec" # want: privileged-instance

      config {
        command = "/usr/local/bin/agent"
      }
    }
  }
}
