package sessions

import "net/url"

// A type parameter K may be instantiated with float64: clear may remove NaN keys the
// loop leaves, so the fix is unsafe (applied here with --unsafe-fixes).
func reset[K comparable, V any](m map[K]V) {
	clear(m)
}

// url.Values is declared in another package: its key type is not visible.
func resetQuery(q url.Values) {
	clear(q)
}
