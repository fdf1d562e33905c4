package query

import (
	"maps"
	"net/url"
	"slices"
	"strings"
)

// url.Values is declared in another package, but slices.Collect(maps.Keys(q)) needs
// no key type: on Go 1.23+ the snapshot is written without naming it. The delete
// of q proves q is a map.
func lowerKeys(q url.Values) {
	for _, k := range slices.Collect(maps.Keys(q)) {
		vals := q[k]
		delete(q, k)
		q[strings.ToLower(k)] = vals
	}
}
