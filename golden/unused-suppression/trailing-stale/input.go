package cache

func drop(m map[string]int, k string) {
	delete(m, k) //gomapfix:ignore GMF203 historical // want "GMF900 unused suppression"
}
