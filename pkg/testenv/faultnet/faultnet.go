// Package faultnet is a TCP forwarder a test controls, to put a real
// service (Postgres, Redis) behind faults: refusing connections (the server
// is down) or swallowing traffic (a network partition: connections open and
// bytes vanish, nothing answers, nothing closes).
package faultnet

import (
	"errors"
	"net"
	"sync"
	"testing"
)

// Mode is what the forwarder does with traffic.
type Mode int

// Modes.
const (
	// Pass forwards in both directions.
	Pass Mode = iota
	// Refuse closes new and existing connections at once (a stopped server).
	Refuse
	// Blackhole accepts connections and reads what is sent but forwards
	// nothing either way and closes nothing (a partition).
	Blackhole
)

// Proxy forwards a local address to a target.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  Mode
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// New starts a forwarder on 127.0.0.1 to target, closed when the test ends.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the forwarder's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Set switches the mode; Refuse also drops every open connection.
func (p *Proxy) Set(m Mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	if m == Refuse {
		for c := range p.conns {
			c.Close()
		}
	}
}

func (p *Proxy) current() Mode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode
}

// Close stops the forwarder and drops its connections.
func (p *Proxy) Close() {
	p.ln.Close()
	p.Set(Refuse)
	p.wg.Wait()
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		if p.current() == Refuse {
			c.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

func (p *Proxy) serve(c net.Conn) {
	defer p.wg.Done()
	p.track(c, true)
	defer p.track(c, false)
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	p.track(up, true)
	defer p.track(up, false)
	defer up.Close()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 && p.current() == Pass {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	c.Close()
	up.Close()
	<-done
}
