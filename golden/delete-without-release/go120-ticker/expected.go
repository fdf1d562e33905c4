package poll

import "time"

// Pollers keeps one ticker per polled endpoint. Before Go 1.23 an unstopped
// ticker is never garbage collected: deleting it leaks it for good.
type Pollers struct {
	tickers map[string]*time.Ticker
	timers  map[string]*time.Timer
}

func (p *Pollers) Add(url string, every time.Duration, poll func()) {
	p.tickers[url] = time.NewTicker(every)
	p.timers[url] = time.AfterFunc(every, poll)
}

func (p *Pollers) Remove(url string) {
	if ticker, ok := p.tickers[url]; ok {
		ticker.Stop()
		delete(p.tickers, url)
	}
}

func (p *Pollers) Unschedule(url string) {
	if timer, ok := p.timers[url]; ok {
		timer.Stop()
		delete(p.timers, url)
	}
}
