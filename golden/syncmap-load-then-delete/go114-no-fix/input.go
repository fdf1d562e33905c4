package jobs

import (
	"fmt"
	"sync"
)

var pending sync.Map

// LoadAndDelete arrived in Go 1.15: at go 1.14 the finding stands without a fix.
func Run(id string) {
	if job, ok := pending.Load(id); ok { // want "GMF701 pending.Load\\(id\\) .*needs go 1.15"
		fmt.Println(job)
		pending.Delete(id)
	}
}
