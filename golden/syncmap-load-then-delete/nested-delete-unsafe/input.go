package jobs

import (
	"fmt"
	"sync"
)

var pending sync.Map

// The Delete is conditional: LoadAndDelete removes the entry on every path, so the
// fix is unsafe (applied here with --unsafe-fixes).
func Step(id string, last bool) {
	if job, ok := pending.Load(id); ok { // want "GMF701 pending.Load\\(id\\)"
		fmt.Println(job)
		if last {
			pending.Delete(id)
		}
	}
}
