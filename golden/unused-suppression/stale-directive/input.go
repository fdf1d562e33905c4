package cache

func drop(m map[string]int, k string) {
	//gomapfix:ignore GMF203 the guard stays until the audit hook lands // want "GMF900 unused suppression"
	delete(m, k)
}
