package index

type Index struct {
	byName map[string]int
	limit  int
}

// expand writes aliases into the map it ranges over, through a struct field, in a
// labeled loop: the snapshot must keep the label on the loop.
func (ix *Index) expand() {
outer:
	for name := range ix.byName { // want "GMF301 map insert during range over ix.byName"
		for i := 0; i < ix.limit; i++ {
			if name == "" {
				continue outer
			}
			ix.byName[name+string(rune('0'+i))] = i
		}
	}
}
