package cache

func drop(m map[string]int, k string) {
	delete(m, k)
}
