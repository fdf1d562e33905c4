package cache

func drop(m map[string]int, k string) {
	//gomapfix:ignore GMF203 // want "GMF901 invalid suppression: gives no reason"
	if m != nil { // want "GMF203 redundant nil check"
		delete(m, k)
	}
}
