package query

import (
	"net/url"
	"strings"
)

// url.Values is declared in another package: its key type is not visible, so the
// manual key-collect form cannot be written (slices.Collect needs Go 1.23). The delete
// of q proves q is a map, so the hazard is still reported, without a fix.
func lowerKeys(q url.Values) {
	for k := range q { // want "GMF301 map re-key during range over q: .*no automatic fix: the type of q is not visible"
		vals := q[k]
		delete(q, k)
		q[strings.ToLower(k)] = vals
	}
}
