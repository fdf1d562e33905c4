package filters

import (
	"net/http"
	"strings"
)

// None of these is the exact filter-delete shape.
func Shapes(m map[string]int, other map[string]int) int {
	removed := 0
	for k, v := range m { // the body also counts
		if v < 0 {
			delete(m, k)
			removed++
		}
	}
	for k, v := range m { // an else branch
		if v < 0 {
			delete(m, k)
		} else {
			m[k] = v - 1
		}
	}
	for k := range m { // deletes from another map
		if other[k] > 0 {
			delete(other, k)
		}
	}
	for k := range m { // deletes another key
		if k != "" {
			delete(m, k+"!")
		}
	}
	for k := range m { // a break ends the loop early
		if k == "stop" {
			break
		}
		delete(m, k)
	}
	for k, v := range m { // an initialiser in the if
		if w := v * 2; w > 10 {
			delete(m, k)
		}
	}
outer:
	for k := range m { // labeled
		if k == "" {
			delete(m, k)
			continue outer
		}
	}
	for k := range m { // delete-all: map-clear-loop's business
		delete(m, k)
	}
	return removed
}

// Strip: http.Header is a map, but its key and value types are declared in
// another package, so the predicate's parameter types are not visible.
func Strip(h http.Header) {
	for name := range h {
		if strings.HasPrefix(name, "X-") {
			delete(h, name)
		}
	}
}
