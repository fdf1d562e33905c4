package cache

func drop(m map[string]int, k string) {
	//gomapfix:ignore GMF203 the audit hook greps for this guard
	if m != nil {
		delete(m, k)
	}
}

// A directive naming a rule that did not run cannot be judged unused.
func keep(m map[string]int, k string) {
	//gomapfix:ignore GMF304 not run in this case
	delete(m, k)
}
