// Package image reads a container image — from a registry or from the local
// Docker engine — into a drift.Snapshot, applying its layers in order with
// OCI whiteouts and streaming each layer once; nothing is extracted to disk.
// It uses go-containerregistry for the registry protocol and the engine API.
package image
