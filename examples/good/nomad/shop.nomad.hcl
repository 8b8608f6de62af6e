# A Nomad job done right: pinned image, read-only root, health check and
# automatic revert of failed deployments.
job "shop" {
  datacenters = ["dc1"]

  update {
    max_parallel = 1
    auto_revert  = true
  }

  group "web" {
    network {
      port "http" {
        to = 8080
      }
    }

    service {
      port = "http"

      check {
        type     = "http"
        path     = "/healthz"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "web" {
      driver = "docker"

      config {
        image           = "registry.example.com/shop/web:1.4.2@sha256:4c8c1a4f2e1d0b3a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928"
        ports           = ["http"]
        readonly_rootfs = true
      }
    }
  }
}
