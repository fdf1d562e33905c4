package sessions

import (
	"fmt"
	"maps"
	"net/url"
)

func use(m map[string]int) { fmt.Println(len(m)) }

// The clone is an argument, not a whole statement: reported without a fix.
func Arg(m map[string]int) {
	maps.DeleteFunc(m, func(_ string, v int) bool { return v == 0 })
	use(maps.Clone(m)) // want "GMF602 maps.Clone\\(m\\) .*no automatic fix: the clone is not a whole statement"
}

// In an if header: no place for the extra statements.
func Header(m map[string]int) int {
	maps.DeleteFunc(m, func(_ string, v int) bool { return v == 0 })
	if c := maps.Clone(m); len(c) > 0 { // want "GMF602 maps.Clone\\(m\\) .*no automatic fix: the statement is not directly in a block"
		return len(c)
	}
	return 0
}

// A map type from another package: not visible, so make cannot be written.
func Query(v url.Values) url.Values {
	for k := range v {
		if k == "" {
			delete(v, k)
		}
	}
	v = maps.Clone(v) // want "GMF602 maps.Clone\\(v\\) .*no automatic fix: the map type is not visible here"
	return v
}
