// Package load finds the declarations under the paths a user names and turns
// each into a model.File, using one package per format (load/kube,
// load/helm, load/kustomize, load/dockerfile, load/compose).
//
// Loaders know formats; they never decide what is wrong. Every input is
// bounded before it is read, and an input that cannot be read becomes a
// model.Problem in its File, never a crash and never a silent skip.
//
// Walking a directory never follows symbolic links and reads only regular
// files; a path named on the command line is read even when it is a link.
package load
