package graph

import (
	"fmt"
	"sort"
)

// closeOver adds derived nodes while ranging: the new ones may or may not be visited.
func closeOver(nodes map[string]bool) {
	for n := range nodes { // want "GMF301 map insert during range over nodes"
		nodes[n+"'"] = true
	}
}

// The blank value form is key only, too.
func suffix(counts map[string]int) {
	for k, _ := range counts { // want "GMF301 map insert during range over counts"
		counts[k+"/total"]++
	}
}

// No variables at all: one new entry per round, and the round count is unknowable.
func grow(seen map[int]struct{}) {
	for range seen { // want "GMF301 map insert during range over seen"
		seen[len(seen)] = struct{}{}
	}
}

func show(m map[string]int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println(keys)
}
