package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"fanout/pkg/webhook"
)

// receiver is a webhook endpoint on loopback that checks every delivery's
// signature as a subscriber would (the API runs with
// FANOUT_WEBHOOK_ALLOW_PRIVATE for it).
type receiver struct {
	srv    *http.Server
	url    string
	secret string
	mu     sync.Mutex
	got    map[string]string // task id → state of a verified task.finished
	bad    int               // deliveries whose signature did not verify
}

func (d *demo) startReceiver(ctx context.Context) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &receiver{url: "http://" + ln.Addr().String() + "/hook", got: map[string]string{}}
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve), ReadHeaderTimeout: 5 * time.Second}
	go r.srv.Serve(ln) //nolint:errcheck // ends with Shutdown
	var hook struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	if err := d.call(ctx, "POST", "/api/v1/webhooks", map[string]any{"url": r.url, "events": []string{"task.finished"}}, &hook); err != nil {
		r.srv.Close()
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	r.secret = hook.Secret
	return r, nil
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	r.mu.Lock()
	defer r.mu.Unlock()
	if !webhook.Verify(r.secret, req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature"), body, 5*time.Minute) {
		r.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &ev) == nil && ev.Type == "task.finished" {
		r.got[ev.Data.ID] = ev.Data.State
	}
	w.WriteHeader(http.StatusNoContent)
}

// await waits for a verified task.finished of task id.
func (r *receiver) await(ctx context.Context, id string) (string, error) {
	for {
		r.mu.Lock()
		state, ok, bad := r.got[id], r.got[id] != "", r.bad
		r.mu.Unlock()
		if ok {
			return state, nil
		}
		if bad > 0 {
			return "", fmt.Errorf("%d deliveries with a bad signature", bad)
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("no task.finished for %s: %w", id, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// metricSum adds up the samples of a family in a Prometheus text page.
func (d *demo) metricSum(ctx context.Context, url, family string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return 0, err
	}
	res, err := d.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %d", url, res.StatusCode)
	}
	var sum float64
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, family+"{") && !strings.HasPrefix(line, family+" ") {
			continue
		}
		if v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
			sum += v
		}
	}
	return sum, sc.Err()
}

// gauge is one metric read before and after the publishes.
type gauge struct{ name, url, family string }

func (d *demo) gauges(worker string) []gauge {
	g := []gauge{
		{"api", d.base + "/metrics", "fanout_tasks_created_total"},
		{"api", d.base + "/metrics", "fanout_http_requests_total"},
	}
	if worker != "" {
		g = append(g, gauge{"worker", worker, "fanout_tasks_finished_total"}, gauge{"worker", worker, "fanout_task_step_duration_seconds_count"})
	}
	return g
}

func (d *demo) readGauges(ctx context.Context, gs []gauge) ([]float64, error) {
	out := make([]float64, len(gs))
	for i, g := range gs {
		v, err := d.metricSum(ctx, g.url, g.family)
		if err != nil {
			return nil, fmt.Errorf("%s metrics: %w", g.name, err)
		}
		out[i] = v
	}
	return out, nil
}
