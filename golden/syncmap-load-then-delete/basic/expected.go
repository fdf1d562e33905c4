package jobs

import (
	"fmt"
	"sync"
)

// Two workers can both Load the same job before either Deletes it: the job runs twice.
// The race detector stays silent (every sync.Map call is synchronised).
type Queue struct {
	pending sync.Map
}

func (q *Queue) Run(id string) {
	if job, ok := q.pending.LoadAndDelete(id); ok {
		fmt.Println("running", job)
	}
}

var tokens sync.Map

// Redeem deletes first, then uses the value; still two goroutines can both get here.
func Redeem(token string) bool {
	if v, ok := tokens.LoadAndDelete(token); ok {
		// Single use.
		fmt.Println("redeemed", v)
		return true
	} else {
		fmt.Println("unknown token")
	}
	return false
}
