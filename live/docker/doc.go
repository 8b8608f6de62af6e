// Package docker reads running containers on a Docker Engine into the
// model: each becomes a model.Instance with its classified drift from its
// image, the processes it runs and where their executables come from, the
// docker exec shells still running in it, and the image it runs; its live
// configuration becomes a model.Workload. The rules decide what is wrong;
// this package only reads. Replacing a drifted container is
// remediate/recreate's, which this package does not import.
//
// It talks to the engine through Engine, the few methods of the Docker
// client it uses, with the API version negotiated. Per container, the
// changed paths come from the engine's diff of the writable layer; the
// container side of each path and the image side are read through the
// engine's archive API (the image side from an unstarted probe container
// created from the image ID, never from a guess), so the cost follows the
// number of changed paths and not the image size. Both sides become
// drift.Snapshot values and the drift engine classifies the differences.
package docker
