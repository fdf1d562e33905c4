package cache

import "fmt"

type Store struct {
	data   map[string]string
	labels map[string]string
	tags   map[string]bool
	seen   map[string]bool
}

func NewStore(labels map[string]string) *Store {
	return &Store{
		data:   make(map[string]string),
		labels: labels,
		tags:   map[string]bool{},
		seen:   map[string]bool{},
	}
}

// Data hands the map itself to callers: they keep the old map if Reset reassigns it.
func (s *Store) Data() map[string]string {
	return s.data
}

func (s *Store) Reset() {
	clear(s.data)
}

// labels comes from the caller, who still holds it.
func (s *Store) ResetLabels() {
	clear(s.labels)
}

func publish(m map[string]bool) {
	fmt.Println(len(m))
}

func (s *Store) Publish() {
	publish(s.tags)
}

func (s *Store) ResetTags() {
	clear(s.tags)
}

// Only read, printed and measured: no other holder, so the fix is offered.
func (s *Store) Report() {
	fmt.Println(len(s.seen), s.seen)
	for k := range s.seen {
		fmt.Println(k)
	}
}

func (s *Store) ResetSeen() {
	s.seen = make(map[string]bool)
}

var current = map[string]int{}

func Snapshot() map[string]int {
	old := current
	return old
}

func ResetCurrent() {
	clear(current)
}
