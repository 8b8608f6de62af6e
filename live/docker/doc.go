// Package docker checks running containers on a Docker Engine for drift from
// their images, and replaces drifted containers with fresh ones from the same
// image digest.
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
