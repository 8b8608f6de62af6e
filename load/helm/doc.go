// Package helm renders Helm charts with the Helm v3 library and loads the
// rendered manifests with load/kube.
//
// Rendering is what `helm template` does, offline: the chart's default
// values, then the values files in order (--values), then the --set
// overrides; release name "release", namespace "default" and Helm's default
// capabilities. No cluster is contacted (lookup returns nothing), no DNS is
// resolved and nothing is fetched: dependencies must be vendored under
// charts/, and values.schema.json is validated with every external $ref
// refused.
//
// # Locations
//
// Each rendered template is decoded on its own and its findings point at
// the template file as the user sees it (dir/templates/deploy.yaml,
// dir/charts/sub/templates/x.yaml). The line numbers are lines of that
// template's rendered output, not of the template source: a template
// expression can expand to any number of lines. A subchart vendored as an
// archive is shown as dir/charts/sub-1.0.0.tgz/templates/x.yaml, and a
// packaged chart given as chart-1.0.0.tgz as chart-1.0.0.tgz/templates/x.yaml.
//
// # Bounds
//
// A chart is read with the limits Helm applies to chart archives, and this
// package applies them to directories too: 5 MiB per file and 100 MiB for
// the whole chart including unpacked subchart archives. Files are read
// through an os.Root, so a symbolic link that leaves the chart directory is
// refused; a link to a directory is refused as well (Helm would follow it).
// Every failure becomes a model.Rejected problem naming the file, with the
// template line when Helm's error names one; errors never quote file
// contents beyond the short excerpts Helm puts in template errors.
package helm
