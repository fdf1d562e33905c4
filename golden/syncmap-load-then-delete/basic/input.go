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
	if job, ok := q.pending.Load(id); ok { // want "GMF701 q.pending.Load\\(id\\) then q.pending.Delete\\(id\\) is not atomic"
		fmt.Println("running", job)
		q.pending.Delete(id)
	}
}

var tokens sync.Map

// Redeem deletes first, then uses the value; still two goroutines can both get here.
func Redeem(token string) bool {
	if v, ok := tokens.Load(token); ok { // want "GMF701 tokens.Load\\(token\\)"
		// Single use.
		tokens.Delete(token)
		fmt.Println("redeemed", v)
		return true
	} else {
		fmt.Println("unknown token")
	}
	return false
}
