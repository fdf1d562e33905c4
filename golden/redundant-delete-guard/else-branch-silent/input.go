package sessions

import "log"

// Guards that do more than delete are not redundant: they stay.
func drop(m map[string]int, k string) {
	if _, ok := m[k]; ok {
		delete(m, k)
	} else {
		log.Printf("no %s", k)
	}
	if m != nil {
		delete(m, k)
		log.Printf("dropped %s", k)
	}
	if _, ok := m[k]; !ok {
		delete(m, k)
	}
	other := map[string]int{}
	if m != nil {
		delete(other, k)
	}
}
