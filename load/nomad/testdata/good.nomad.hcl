job "web" {
  datacenters = ["dc1"]

  update {
    max_parallel = 1
    auto_revert  = true
  }

  group "cache" {
    network {
      port "db" {
        to = 6379
      }
    }

    service {
      port = "db"

      check {
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image           = "redis:7.2@sha256:4c8c1a4f2e1d0b3a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928"
        ports           = ["db"]
        readonly_rootfs = true
      }
    }
  }
}
