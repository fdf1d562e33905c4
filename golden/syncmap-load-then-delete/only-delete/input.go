package jobs

import "sync"

var cache sync.Map

// Nothing is processed between Load and Delete: the whole statement is a Delete.
func Forget(key string) {
	if _, ok := cache.Load(key); ok { // want "GMF701 cache.Load\\(key\\)"
		cache.Delete(key)
	}
}
