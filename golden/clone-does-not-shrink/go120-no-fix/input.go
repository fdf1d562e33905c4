package sessions

import "maps"

// go 1.20 in go.mod: maps.Copy is not available (Go 1.21), so no fix is offered.
func Compact(m map[string]int) map[string]int {
	for k, v := range m {
		if v == 0 {
			delete(m, k)
		}
	}
	m = maps.Clone(m) // want "GMF602 maps.Clone\\(m\\) does not compact m.*needs go 1.21"
	return m
}
