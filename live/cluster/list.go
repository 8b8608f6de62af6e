package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// DefaultPageSize is the number of objects asked for per request when
// Scope.Limit is zero: the page size kubectl and client-go's listPager use.
const DefaultPageSize = 500

// Scope is what one audit lists.
type Scope struct {
	// Namespace limits the namespaced collections to one namespace; ""
	// lists all namespaces.
	Namespace string
	// LabelSelector filters pods and workloads (not nodes, and not
	// controller revisions, whose labels are their owner's selector).
	LabelSelector string
	// Limit is the page size; zero means DefaultPageSize.
	Limit int64
	// Progress, when set, is called after each page with the collection
	// and the number of its objects listed so far. Calls never overlap.
	Progress func(resource string, listed int)

	// backoff replaces listBackoff in tests.
	backoff *wait.Backoff
}

// ErrUnreachable wraps every failure to reach the API server.
var ErrUnreachable = errors.New("API server unreachable")

// listers bounds the collections listed at the same time.
const listers = 4

// List reads every collection the audit compares, each in full (every
// page), the collections concurrently. A collection the credentials may
// not list (403) or the server does not serve (404) is recorded in
// Snapshot.Unread and the others are still listed; any other failure,
// after the retries of transient ones (see retry.go), fails the list.
//
// Objects are stripped of what no rule reads (managed fields, the
// last-applied-configuration annotation) as each page arrives, so that a
// snapshot of a large cluster stays small.
func List(ctx context.Context, c kubernetes.Interface, scope Scope) (*Snapshot, error) {
	if scope.Limit <= 0 {
		scope.Limit = DefaultPageSize
	}
	l := &lister{scope: scope, s: &Snapshot{Started: time.Now()}}
	ns, sel := scope.Namespace, scope.LabelSelector
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(listers)
	// Pods first: the largest collection sets the wall time.
	g.Go(func() error {
		return collect(ctx, l, "pods", ns, sel, &l.s.Pods, page(c.CoreV1().Pods(ns).List, func(x *corev1.PodList) []corev1.Pod { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "replicasets", ns, sel, &l.s.ReplicaSets, page(c.AppsV1().ReplicaSets(ns).List, func(x *appsv1.ReplicaSetList) []appsv1.ReplicaSet { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "controllerrevisions", ns, "", &l.s.ControllerRevisions, page(c.AppsV1().ControllerRevisions(ns).List, func(x *appsv1.ControllerRevisionList) []appsv1.ControllerRevision { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "deployments", ns, sel, &l.s.Deployments, page(c.AppsV1().Deployments(ns).List, func(x *appsv1.DeploymentList) []appsv1.Deployment { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "statefulsets", ns, sel, &l.s.StatefulSets, page(c.AppsV1().StatefulSets(ns).List, func(x *appsv1.StatefulSetList) []appsv1.StatefulSet { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "daemonsets", ns, sel, &l.s.DaemonSets, page(c.AppsV1().DaemonSets(ns).List, func(x *appsv1.DaemonSetList) []appsv1.DaemonSet { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "jobs", ns, sel, &l.s.Jobs, page(c.BatchV1().Jobs(ns).List, func(x *batchv1.JobList) []batchv1.Job { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "cronjobs", ns, sel, &l.s.CronJobs, page(c.BatchV1().CronJobs(ns).List, func(x *batchv1.CronJobList) []batchv1.CronJob { return x.Items }))
	})
	g.Go(func() error {
		return collect(ctx, l, "nodes", "", "", &l.s.Nodes, page(c.CoreV1().Nodes().List, func(x *corev1.NodeList) []corev1.Node { return x.Items }))
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return l.s, nil
}

// lister is the state one List shares between its collections.
type lister struct {
	scope Scope
	s     *Snapshot
	mu    sync.Mutex // guards s.Unread and Progress calls
	// reached is set once the server answered a request: from then on a
	// listRefused connection is a restart to wait for, not a wrong address.
	reached atomic.Bool
}

// pageFunc lists one page of a collection.
type pageFunc[T any] func(ctx context.Context, o metav1.ListOptions) ([]T, metav1.ListMeta, error)

// page adapts a typed List method to a pageFunc.
func page[T any, L metav1.ListMetaAccessor](list func(context.Context, metav1.ListOptions) (L, error), items func(L) []T) pageFunc[T] {
	return func(ctx context.Context, o metav1.ListOptions) ([]T, metav1.ListMeta, error) {
		l, err := list(ctx, o)
		if err != nil {
			return nil, metav1.ListMeta{}, err
		}
		return items(l), *l.GetListMeta().(*metav1.ListMeta), nil
	}
}

// maxRestarts bounds how often one collection's list starts over because
// its continue token expired (410 Gone): a list slower than etcd's
// compaction interval would never finish.
const maxRestarts = 3

// collect lists every page of one collection into dst. ns is the
// namespace asked for, for Unread.
func collect[T any](ctx context.Context, l *lister, resource, ns, selector string, dst *[]T, list pageFunc[T]) error {
	opts := metav1.ListOptions{Limit: l.scope.Limit, LabelSelector: selector}
	var items []T
	restarts := 0
	for {
		var got []T
		var meta metav1.ListMeta
		err := l.retry(ctx, func() error {
			var err error
			got, meta, err = list(ctx, opts)
			return err
		})
		switch {
		case err == nil:
		case opts.Continue != "" && (apierrors.IsResourceExpired(err) || apierrors.IsGone(err)) && restarts < maxRestarts:
			// The continue token outlived etcd's compaction: the pages
			// read so far belong to a snapshot that cannot be finished.
			restarts++
			opts.Continue, items = "", items[:0]
			continue
		case apierrors.IsForbidden(err) || apierrors.IsNotFound(err):
			l.unread(Unread{Resource: resource, Namespace: ns, Err: err})
			return nil
		default:
			return listError(resource, err)
		}
		if items == nil && meta.RemainingItemCount != nil && *meta.RemainingItemCount > 0 {
			items = make([]T, 0, len(got)+int(min(*meta.RemainingItemCount, 1<<20)))
		}
		for i := range got {
			strip(any(&got[i]).(metav1.Object))
		}
		items = append(items, got...)
		l.progress(resource, len(items))
		if meta.Continue == "" {
			*dst = items
			return nil
		}
		opts.Continue = meta.Continue
	}
}

// lastApplied is the annotation kubectl apply writes: a full copy of the
// object as applied, often the largest part of its metadata.
const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

// strip drops what no rule reads from a listed object.
func strip(o metav1.Object) {
	o.SetManagedFields(nil)
	if a := o.GetAnnotations(); a != nil {
		delete(a, lastApplied)
	}
}

func (l *lister) unread(u Unread) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s.Unread = append(l.s.Unread, u)
}

func (l *lister) progress(resource string, n int) {
	if l.scope.Progress == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scope.Progress(resource, n)
}

// listError describes a failure to list a collection.
func listError(resource string, err error) error {
	switch {
	case unreachable(err):
		return fmt.Errorf("list %s: %w: %w", resource, ErrUnreachable, err)
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("list %s: the API server listRefused the credentials: %w", resource, err)
	}
	return fmt.Errorf("list %s: %w", resource, err)
}
