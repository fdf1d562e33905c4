package cache

import "sync"

type Index struct {
	mu    sync.Mutex
	words map[string]int
	order []string
}

// A local map is not long-lived: it goes away with the function.
func Count(words []string) int {
	seen := make(map[string]bool)
	for _, w := range words {
		seen[w] = true
	}
	n := len(seen)
	clear(seen)
	return n
}

// clear on a slice zeroes it; nothing to do with maps.
func (ix *Index) ZeroOrder() {
	clear(ix.order)
}

// A new map is assigned right after: the old one is not kept.
func (ix *Index) Rebuild(words []string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	clear(ix.words)
	ix.words = make(map[string]int, len(words))
	for _, w := range words {
		ix.words[w]++
	}
}

// A filter loop deletes some keys, not all.
func (ix *Index) DropRare() {
	for w, n := range ix.words {
		if n < 2 {
			delete(ix.words, w)
		}
	}
}

// A struct local to the function dies with it.
func Scratch() int {
	var ix Index
	ix.words = map[string]int{"a": 1}
	clear(ix.words)
	return len(ix.words)
}

// Deliberate reuse of the map's memory is the point here: not reported.
type scratch struct {
	seen  map[int]bool
	marks map[int]bool
	queue []int
}

func (s *scratch) reset() {
	if s.seen == nil {
		s.seen = make(map[int]bool)
		s.marks = make(map[int]bool)
	} else {
		clear(s.seen)
		clear(s.marks)
	}
}

// Refilled by the same function: a fill-use-empty cycle.
func (s *scratch) walk(roots []int) int {
	clear(s.seen)
	for _, r := range roots {
		s.seen[r] = true
	}
	return len(s.seen)
}

// Slices truncated for reuse beside it.
func (s *scratch) prepare() {
	clear(s.marks)
	s.queue = s.queue[:0]
}

// Emptied for the next round of a computation.
func (s *scratch) fixpoint(rounds int) {
	for i := 0; i < rounds; i++ {
		s.step()
		clear(s.marks)
	}
}

func (s *scratch) step() {
	s.marks[len(s.marks)] = true
}
