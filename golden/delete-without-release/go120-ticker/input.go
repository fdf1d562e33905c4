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
	delete(p.tickers, url) // want "GMF401 .*\\*time.Ticker without stopping it: an unstopped ticker is never garbage collected before Go 1.23"
}

func (p *Pollers) Unschedule(url string) {
	delete(p.timers, url) // want "GMF401 .*\\*time.Timer without stopping it: an AfterFunc callback still runs when it fires, and before Go 1.23 an unstopped timer is not garbage collected"
}
