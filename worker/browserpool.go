package main

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"fanout/pkg/browser"
)

// browserPool holds the worker's one Chromium and starts a new one when it
// died (an OOM kill, a crash), so one bad page does not stop the worker.
type browserPool struct {
	cfg browser.Config
	log *slog.Logger
	mu  sync.Mutex
	b   *browser.Browser
}

func newBrowserPool(cfg browser.Config, log *slog.Logger) *browserPool {
	return &browserPool{cfg: cfg, log: log}
}

func (p *browserPool) start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.startLocked(ctx)
}

func (p *browserPool) startLocked(ctx context.Context) error {
	b, err := browser.Start(ctx, p.cfg, p.log)
	if err != nil {
		return err
	}
	p.b = b
	return nil
}

// browserSessions counts the browser contexts this process asked for, so a
// test can tell that a task ran without one.
var browserSessions atomic.Int64

// NewSession implements taskhandler.Sessions.
func (p *browserPool) NewSession(ctx context.Context, opt browser.SessionOptions) (context.Context, context.CancelFunc, error) {
	browserSessions.Add(1)
	p.mu.Lock()
	if p.b == nil || !p.b.Alive() {
		p.log.Warn("browser is gone; starting a new one")
		if p.b != nil {
			p.b.Close()
		}
		if err := p.startLocked(ctx); err != nil {
			p.mu.Unlock()
			return nil, nil, err
		}
	}
	b := p.b
	p.mu.Unlock()
	return b.NewSession(ctx, opt)
}

func (p *browserPool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.b != nil {
		p.b.Close()
	}
}
