package poll

import "time"

// Before Go 1.21 clear is not a builtin: this package has its own.
func clear(m map[string]*time.Ticker) {
	for k, t := range m {
		t.Stop()
		delete(m, k)
	}
}

type Pollers struct {
	tickers map[string]*time.Ticker
}

func (p *Pollers) Add(url string, every time.Duration) {
	p.tickers[url] = time.NewTicker(every)
}

// A user-defined clear, which stops the tickers: not the builtin, not reported.
func (p *Pollers) Reset() {
	clear(p.tickers)
}

// The delete-all loop exists in every version; the release loop works in every version.
func (p *Pollers) Forget() {
	for _, ticker := range p.tickers {
		ticker.Stop()
	}
	for url := range p.tickers {
		delete(p.tickers, url)
	}
}
