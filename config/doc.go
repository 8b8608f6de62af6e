// Package config reads .immutcheck.yaml, the project's policy file.
//
// The file is found upward from the first scanned path, or named with
// --config. It is decoded strictly: an unknown key, a duplicate key or a value
// of the wrong type is an error naming the file, never silently ignored.
//
//	# .immutcheck.yaml
//	fail-on: high                  # critical | high | medium | low | info | none
//	allowed-registries:            # registries or registry/path prefixes
//	  - ghcr.io/acme
//	rules:
//	  disable: [missing-health-probe]
//	  severity:
//	    writable-root-filesystem: low
//	exclude:                       # globs relative to this file, ** allowed
//	  - "vendor/**"
//	helm:
//	  values: [deploy/values-prod.yaml]
//	  set: ["image.tag=1.2.3"]
//	drift:                         # immutcheck drift
//	  ignore: [/srv/cache]
//	  include: [/etc/hosts]
//	limits:
//	  max-file-bytes: 67108864
//	  max-object-bytes: 3145728
//	  max-documents: 10000
package config
