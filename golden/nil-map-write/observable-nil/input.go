package report

import (
	"encoding/json"
	"fmt"
)

// The map is returned and compared with nil: after the fix, callers that got nil
// (no words) get an empty map, and JSON prints {} instead of null. The fix is
// offered as unsafe.
func tally(words []string) map[string]int {
	var counts map[string]int
	for _, w := range words {
		counts[w]++ // want "GMF201 map counts is declared"
	}
	if counts == nil {
		fmt.Println("no words")
	}
	return counts
}

func encode(words []string) ([]byte, error) {
	var seen map[string]bool
	for _, w := range words {
		seen[w] = true // want "GMF201 map seen is declared"
	}
	return json.Marshal(seen)
}
