package cluster

import (
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// fastBackoff makes retries in unit tests wait microseconds, not seconds.
var fastBackoff = wait.Backoff{Duration: time.Millisecond, Factor: 2, Steps: 8, Cap: 4 * time.Millisecond}

// listPager makes the fake clientset page like an API server: the label
// selector is applied, then at most Limit items are returned with a
// continue token (the offset) and the remaining item count. fail, when
// set, may fail any request instead; it sees the resource, the continue
// token, and how many requests of that resource came before.
type listPager struct {
	mu    sync.Mutex
	calls map[string]int
	// fail is called with mu held.
	fail func(resource, cont string, call int) error
	// cache keeps the first full list of each collection and namespace,
	// so that a benchmark does not measure the tracker's copying; the
	// objects must not change then.
	cache bool
	lists map[string]runtime.Object
}

// full is the full list a request pages through.
func (p *listPager) full(c *fake.Clientset, la k8stesting.ListActionImpl) (runtime.Object, error) {
	if !p.cache {
		return c.Tracker().List(la.GetResource(), la.GetKind(), la.GetNamespace())
	}
	key := la.GetResource().String() + "/" + la.GetNamespace()
	p.mu.Lock()
	defer p.mu.Unlock()
	if l, ok := p.lists[key]; ok {
		return l, nil
	}
	l, err := c.Tracker().List(la.GetResource(), la.GetKind(), la.GetNamespace())
	if err == nil {
		if p.lists == nil {
			p.lists = map[string]runtime.Object{}
		}
		p.lists[key] = l
	}
	return l, err
}

func newListFake(t testing.TB, p *listPager, objs ...runtime.Object) *fake.Clientset {
	t.Helper()
	c := fake.NewClientset(objs...)
	p.calls = map[string]int{}
	c.PrependReactor("list", "*", func(a k8stesting.Action) (bool, runtime.Object, error) {
		la := a.(k8stesting.ListActionImpl)
		res := la.GetResource().Resource
		p.mu.Lock()
		call := p.calls[res]
		p.calls[res]++
		var err error
		if p.fail != nil {
			err = p.fail(res, la.ListOptions.Continue, call)
		}
		p.mu.Unlock()
		if err != nil {
			return true, nil, err
		}
		obj, err := p.full(c, la)
		if err != nil {
			return true, nil, err
		}
		return true, listPage(t, obj, la.ListOptions), nil
	})
	return c
}

// paged cuts the page o asks for out of a full list, into a new list of
// copies of the items (as a client decodes new objects).
func listPage(t testing.TB, list runtime.Object, o metav1.ListOptions) runtime.Object {
	items, err := meta.ExtractList(list)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := labels.Parse(o.LabelSelector)
	if err != nil {
		t.Fatal(err)
	}
	var kept []runtime.Object
	for _, it := range items {
		m, _ := meta.Accessor(it)
		if sel.Matches(labels.Set(m.GetLabels())) {
			kept = append(kept, it)
		}
	}
	start := 0
	if o.Continue != "" {
		if start, err = strconv.Atoi(o.Continue); err != nil {
			t.Fatalf("continue token %q", o.Continue)
		}
	}
	end := len(kept)
	if o.Limit > 0 && int64(end-start) > o.Limit {
		end = start + int(o.Limit)
	}
	page := make([]runtime.Object, 0, end-start)
	for _, it := range kept[start:end] {
		page = append(page, it.DeepCopyObject())
	}
	out := reflect.New(reflect.TypeOf(list).Elem()).Interface().(runtime.Object)
	if err := meta.SetList(out, page); err != nil {
		t.Fatal(err)
	}
	if end < len(kept) {
		lm, _ := meta.ListAccessor(out)
		lm.SetContinue(strconv.Itoa(end))
		rest := int64(len(kept) - end)
		lm.SetRemainingItemCount(&rest)
	}
	return out
}

func (p *listPager) count(resource string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls[resource]
}

func listName(prefix string, i int) string { return fmt.Sprintf("%s-%04d", prefix, i) }
