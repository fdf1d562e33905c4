package queue

import (
	"iter"
	"maps"
	"sync"
)

type Queue struct {
	mu    sync.Mutex
	items map[int]string
	size  int
}

// Pending names a local variable slices: the fix cannot use the package.
func (q *Queue) Pending() (iter.Seq[string], int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	slices := q.size
	return maps.Values(q.items), slices // want "GMF303 maps.Values\\(q.items\\).*no automatic fix: the name slices is taken here"
}
