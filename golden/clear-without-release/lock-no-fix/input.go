package sched

import (
	"sync"
	"time"
)

type Tickers struct {
	mu      sync.Mutex
	tickers map[string]*time.Ticker
}

func (t *Tickers) Add(id string, every time.Duration) {
	t.mu.Lock()
	t.tickers[id] = time.NewTicker(every)
	t.mu.Unlock()
}

// Clear holds the lock until it returns.
func (t *Tickers) Clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.tickers) // want "GMF402 .*\\*time.Ticker.*no fix: t.mu is unlocked by a deferred call"
}

// resetLocked runs under the caller's lock.
func (t *Tickers) resetLocked() {
	t.tickers = nil // want "GMF402 t.tickers = nil .*no fix: this function runs under its caller's lock"
}

// A deferred clear: no fix.
func (t *Tickers) Close() {
	defer clear(t.tickers) // want "GMF402 .*no fix: the statement is not a plain statement of a block"
}
