package graph

import (
	"fmt"
	"maps"
	"slices"
	"sort"
)

// closeOver adds derived nodes while ranging: the new ones may or may not be visited.
func closeOver(nodes map[string]bool) {
	for _, n := range slices.Collect(maps.Keys(nodes)) {
		nodes[n+"'"] = true
	}
}

// The blank value form is key only, too.
func suffix(counts map[string]int) {
	for _, k := range slices.Collect(maps.Keys(counts)) {
		counts[k+"/total"]++
	}
}

// No variables at all: one new entry per round, and the round count is unknowable.
func grow(seen map[int]struct{}) {
	for range slices.Collect(maps.Keys(seen)) {
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
