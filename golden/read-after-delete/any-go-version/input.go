package legacy

// The hazard and its display-only suggestion need no particular Go version.
func pop(m map[int]string, k int) string {
	delete(m, k)
	return m[k] // want "GMF501 m\\[k\\] read after delete"
}
