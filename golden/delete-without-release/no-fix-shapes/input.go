package poll

import (
	"time"
)

// Pollers keeps one ticker per polled endpoint.
type Pollers struct {
	tickers map[string]*time.Ticker
	order   []string
}

func (p *Pollers) Add(url string, every time.Duration) {
	p.tickers[url] = time.NewTicker(every)
	p.order = append(p.order, url)
}

func (p *Pollers) next() string {
	u := p.order[0]
	p.order = p.order[1:]
	return u
}

// The key has a side effect: evaluating it twice would pop two entries.
func (p *Pollers) RemoveNext() {
	delete(p.tickers, p.next()) // want "GMF401 .*\\*time.Ticker without stopping it: it keeps ticking for any goroutine still receiving from its channel .*no fix: the map or key expression has side effects"
}

// A deferred delete is not a plain statement.
func (p *Pollers) Poll(url string) {
	defer delete(p.tickers, url) // want "GMF401 .*no fix: the delete is not a plain statement"
	_ = url
}

// Only the field of the loaded value is read: nothing releases it.
func (p *Pollers) Expire(url string, stale map[string]bool) {
	if t, ok := p.tickers[url]; ok && t.C != nil && stale[url] {
		delete(p.tickers, url) // want "GMF401 .*\\*time.Ticker"
	}
}

// The range value is the deleted entry's value: release it in place.
func (p *Pollers) Sweep(stale map[string]bool) {
	for url, t := range p.tickers {
		if stale[url] && t.C != nil {
			delete(p.tickers, url) // want "GMF401 .*\\*time.Ticker"
		}
	}
}
