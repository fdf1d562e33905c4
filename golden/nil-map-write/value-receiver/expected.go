package registry

type Stats struct {
	hits map[string]int
}

// A value receiver works on a copy: making the map there would be lost when the
// method returns (silent data loss instead of a panic), so no fix is offered.
func (s Stats) Hit(key string) {
	s.hits[key]++
}

// The same for a struct passed by value...
func hit(s Stats, key string) {
	s.hits[key] = 1
}

// ...and for a range value.
func hitAll(all []Stats, key string) {
	for _, s := range all {
		s.hits[key] = 1
	}
}

// Through a pointer it is fixable.
func (s *Stats) Reset(key string) {
	if s.hits == nil {
		s.hits = make(map[string]int)
	}
	s.hits[key] = 0
}
