package sessions

import "net/url"

// A type parameter K may be instantiated with float64: clear may remove NaN keys the
// loop leaves, so the fix is unsafe (applied here with --unsafe-fixes).
func reset[K comparable, V any](m map[K]V) {
	for k := range m { // want "GMF304 loop deletes every key of m.*key type not visible"
		delete(m, k)
	}
}

// url.Values is declared in another package: its key type is not visible.
func resetQuery(q url.Values) {
	for k := range q { // want "GMF304 loop deletes every key of q.*key type not visible"
		delete(q, k)
	}
}
