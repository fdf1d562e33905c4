package cache

func drop(m map[string]int, k string) {
	//gomapfix:ignore GMF203
	delete(m, k)
}
