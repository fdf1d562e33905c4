package sessions

import "fmt"

type Session struct {
	User string
}

type Store struct {
	byID map[string]*Session
}

func (s *Store) refill(id string) {
	s.byID[id] = &Session{User: id}
}

// The delete comes after the read: the natural order, nothing to report.
func (s *Store) Take(id string) *Session {
	v := s.byID[id]
	delete(s.byID, id)
	return v
}

// Writes in between put the entry back.
func (s *Store) Reset(id string) string {
	delete(s.byID, id)
	s.byID[id] = &Session{User: "guest"}
	return s.byID[id].User
}

// A method call through the owner may write the map again.
func (s *Store) Reload(id string) string {
	delete(s.byID, id)
	s.refill(id)
	return s.byID[id].User
}

// The comma-ok form asks whether the key is there: not a zero-value read.
func (s *Store) Gone(id string) bool {
	delete(s.byID, id)
	_, ok := s.byID[id]
	return !ok
}

// A different key, or the key changed in between.
func other(m map[string]int, a, b string) int {
	delete(m, a)
	x := m[b]
	delete(m, b)
	b = a + "!"
	return x + m[b]
}

// Reads inside a function literal run later, when the entry may be back.
func later(m map[string]int, k string) func() int {
	delete(m, k)
	return func() int { return m[k] }
}

// A loop that writes the entry: the read can follow the write (back-edge).
func loop(m map[string]int, k string) {
	delete(m, k)
	for i := 0; i < 3; i++ {
		fmt.Println(m[k])
		m[k] = i
	}
}

// A label after the delete can be reached by goto without the delete.
func jump(m map[string]int, k string, again bool) int {
	if again {
		goto read
	}
	delete(m, k)
read:
	return m[k]
}

// The read is in another branch, not after the delete.
func branches(m map[string]int, k string, drop bool) int {
	if drop {
		delete(m, k)
	} else {
		return m[k]
	}
	return 0
}

// A map passed to a call may be refilled by it.
func passed(m map[string]int, k string) int {
	delete(m, k)
	fill(m)
	return m[k]
}

func fill(m map[string]int) { m["x"] = 1 }

// A shadowing declaration: a different map with the same name.
func shadow(m map[string]int, k string) int {
	delete(m, k)
	{
		m := map[string]int{k: 1}
		return m[k]
	}
}
