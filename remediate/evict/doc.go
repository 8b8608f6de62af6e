// Package evict replaces drifted pods of a live Kubernetes cluster: it
// plans which pods the findings of the Evictable rules flag (NewPlan),
// prints the plan (WritePlan, the dry run) and evicts them through the
// Eviction API (Run), so that their controllers recreate them from the
// declared template. It never deletes a pod and never repairs one.
//
// It reads the snapshot package live/cluster listed; live/cluster never
// imports it: reading a cluster and acting on it stay apart.
package evict
