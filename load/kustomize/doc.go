// Package kustomize builds Kustomize roots with the kustomize API (krusty)
// and loads the built objects with load/kube.
//
// The build is `kustomize build` restricted to what an offline checker may
// do: files are loaded from the kustomization root only (bases such as
// ../base that are kustomizations are allowed, as kustomize allows them),
// plugins and exec or container KRM functions are disabled, helmCharts are
// not inflated (that runs helm), and nothing is fetched. Remote resources
// (git or http URLs) are found in the kustomization and its local bases
// before building and reported as Rejected problems; kustomize would
// otherwise clone or download them.
//
// # Locations
//
// The build is run with origin annotations on (buildMetadata:
// [originAnnotations]), so every built object names the file that declared
// it. Each object is decoded on its own, located in that file: its lines
// are shifted so that line 1 of the built object is the line where the
// document declaring the same kind and name starts in the origin file.
// Lines inside the object are those of the built object, which match the
// origin file when no transformer added or removed lines above them;
// columns are those of the built object (kustomize re-indents lists).
// Generated objects (configMapGenerator, ...) point at the kustomization
// that configured them. The origin annotation is removed before decoding.
package kustomize
