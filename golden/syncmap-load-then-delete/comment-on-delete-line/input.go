package jobs

import (
	"fmt"
	"sync"
)

var pending sync.Map

// Removing the Delete line would drop its comment: the fix is downgraded to unsafe
// and not applied by default.
func Run(id string) {
	if job, ok := pending.Load(id); ok { // want "GMF701 pending.Load\\(id\\)"
		fmt.Println(job)
		pending.Delete(id) // the job is done
	}
}
