package jobs

import (
	"fmt"
	"sync"
)

var pending sync.Map

// A return before the Delete keeps the entry on that path; LoadAndDelete would not.
func Run(id string) error {
	if job, ok := pending.Load(id); ok { // want "GMF701 pending.Load\\(id\\)"
		if job == nil {
			return fmt.Errorf("job %s not ready", id)
		}
		pending.Delete(id)
	}
	return nil
}

// Another use of the map with the key before the Delete.
func Requeue(id string) {
	if job, ok := pending.Load(id); ok { // want "GMF701 pending.Load\\(id\\)"
		pending.Store(id+"-retry", job)
		pending.Delete(id)
	}
}
