package headers

import "strings"

// canonicalize re-keys every entry: delete k, insert lower(k). While ranging over the
// live map, the new keys may be visited again (and lowered again) or not at all.
func canonicalize(h map[string][]string) {
	for k, v := range h { // want "GMF301 map re-key during range over h: entries added while ranging may or may not be visited"
		delete(h, k)
		h[strings.ToLower(k)] = v
	}
}

// invert adds value->key entries to the map it ranges over (value only: key is _).
func invert(names map[string]string) {
	for _, v := range names { // want "GMF301 map insert during range over names"
		names[v] = v
	}
}
