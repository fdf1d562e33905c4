package sessions

func drop(m map[string]int, k string) {
	if m != nil { // want "GMF203 redundant nil check"
		// Keep the audit trail in sync with the map.
		delete(m, k)
	}
}
