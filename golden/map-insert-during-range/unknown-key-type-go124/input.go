package query

import (
	"net/url"
	"strings"
)

// url.Values is declared in another package, but slices.Collect(maps.Keys(q)) needs
// no key type: on Go 1.23+ the snapshot is written without naming it. The delete
// of q proves q is a map.
func lowerKeys(q url.Values) {
	for k := range q { // want "GMF301 map re-key during range over q: entries added while ranging"
		vals := q[k]
		delete(q, k)
		q[strings.ToLower(k)] = vals
	}
}
