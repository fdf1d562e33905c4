package cache

import "encoding/json"

// A map parameter: whether the caller passes nil is unknown here. Not reported.
func add(m map[string]int, k string) {
	m[k] = 1
}

// Made before the write, assigned before the write, or address taken: silent.
func made(data []byte) int {
	m := make(map[string]int)
	m["a"] = 1
	var q map[string]int
	q = map[string]int{}
	q["b"] = 2
	var j map[string]int
	if err := json.Unmarshal(data, &j); err != nil {
		return 0
	}
	j["c"] = 3
	return len(m) + len(q) + len(j)
}

// Reads, len, range, delete and clear on a nil map are all fine.
func reads(k string) int {
	var m map[string]int
	delete(m, k)
	clear(m)
	for range m {
	}
	return m[k] + len(m)
}

type Set map[string]bool

func (s *Set) Add(k string) {
	if *s == nil {
		*s = Set{}
	}
	(*s)[k] = true
}

// A method with a pointer receiver may make it (s.Add takes &s).
func viaMethod() int {
	var s Set
	s.Add("x")
	s["y"] = true
	return len(s)
}

type entry struct {
	tags  map[string]bool
	attrs map[string]string
	meta  map[string]int
	Extra map[string]int
}

func newEntry() *entry {
	return &entry{tags: map[string]bool{}}
}

func (e *entry) init() {
	e.attrs = make(map[string]string)
}

func positional() entry {
	return entry{nil, nil, map[string]int{}, nil}
}

// Fields initialised somewhere in the package (keyed literal, assignment,
// positional literal) are not reported; exported fields may be set by other
// packages.
func (e *entry) set(k string) {
	e.tags[k] = true
	e.attrs[k] = k
	e.meta[k] = 1
	e.Extra[k] = 2
}
