package sched

import (
	"context"
	"net"
	"time"
)

// Scheduler runs delayed jobs and keeps one cancel function per running job.
type Scheduler struct {
	timers  map[string]*time.Timer
	running map[string]context.CancelFunc
	conns   map[int]net.Conn
	workers map[int]*worker
}

type worker struct{ quit chan struct{} }

// Stop ends the worker's goroutine.
func (w *worker) Stop() { close(w.quit) }

func NewScheduler() *Scheduler {
	return &Scheduler{
		timers:  make(map[string]*time.Timer),
		running: make(map[string]context.CancelFunc),
		conns:   make(map[int]net.Conn),
		workers: make(map[int]*worker),
	}
}

func (s *Scheduler) After(id string, d time.Duration, job func()) {
	s.timers[id] = time.AfterFunc(d, job)
}

func (s *Scheduler) Start(id string, run func(context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	s.running[id] = cancel
	go run(ctx)
}

func (s *Scheduler) Dial(id int, addr string) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	s.conns[id] = c
	return nil
}

func (s *Scheduler) Spawn(id int) {
	s.workers[id] = &worker{quit: make(chan struct{})}
}

// Unschedule forgets the job, but its AfterFunc callback still runs.
func (s *Scheduler) Unschedule(id string) {
	if timer, ok := s.timers[id]; ok {
		timer.Stop()
		delete(s.timers, id)
	}
}

// Forget drops the cancel function: the job's context is never cancelled.
func (s *Scheduler) Forget(id string) {
	if cancel, ok := s.running[id]; ok {
		cancel()
		delete(s.running, id)
	}
}

// Disconnect drops a connection without closing it.
func (s *Scheduler) Disconnect(id int) {
	if conn, ok := s.conns[id]; ok {
		conn.Close()
		delete(s.conns, id)
	} // trailing comment stays
}

// Retire drops a worker whose goroutine keeps running.
func (s *Scheduler) Retire(id int) {
	if w, ok := s.workers[id]; ok {
		w.Stop()
		delete(s.workers, id)
	}
}
