package chaos_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fanout/pkg/job"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/testenv/faultnet"
)

// stepOrder ranks a publish's steps.
var stepOrder = map[string]int{"": 0, "opened": 1, "uploading": 2, "uploaded": 3, "filled": 4, "submitted": 5, "published": 6}

// waitStep waits (bounded) until one of ids is running at step or past it
// (or has ended), and says whether it saw one.
func (s *stack) waitStep(ids map[string]string, step string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		for id := range ids {
			t, err := s.app.GetTask(context.Background(), id)
			if err == nil && (t.State.Terminal() || (t.State == job.StateRunning && stepOrder[t.Step] >= stepOrder[step])) {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// A worker SIGKILLed at every step of publishes, again and again.
func TestWorkerKill(t *testing.T) {
	s := newStack(t)
	f, accs := s.upload(), s.accounts(4)
	ids := s.publish(f, accs, 12, "kill")
	kill := s.startWorker()
	for _, step := range []string{"uploading", "submitted", "filled", "uploading", "submitted"} {
		s.waitStep(ids, step, 30*time.Second)
		kill()
		kill = s.startWorker()
	}
	s.waitAll(ids, 2*time.Minute)
	s.verdict("worker-kill", ids, 0)
}

// Redis loses every message while publishes run.
func TestRedisFlush(t *testing.T) {
	s := newStack(t)
	f, accs := s.upload(), s.accounts(3)
	ids := s.publish(f, accs, 8, "flush")
	s.startWorker()
	s.waitStep(ids, "uploading", 30*time.Second)
	rdb := redis.NewClient(&redis.Options{Addr: s.redis.Addr, DB: s.redis.DB})
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	s.waitAll(ids, 90*time.Second)
	s.verdict("redis-flush", ids, 0)
}

// The database refuses connections, then is partitioned away, while
// publishes run and clients keep calling.
func TestPostgresRefusedAndPartitioned(t *testing.T) {
	s := newStack(t)
	f, accs := s.upload(), s.accounts(3)
	s.startWorker()
	for _, c := range []struct {
		name string
		mode faultnet.Mode
	}{{"postgres-refused", faultnet.Refuse}, {"postgres-partitioned", faultnet.Blackhole}} {
		ids := s.publish(f, accs, 6, c.name)
		s.waitStep(ids, "uploading", 30*time.Second)
		s.pg.Set(c.mode)
		outage := time.Now().Add(3 * time.Second)
		unavailable := 0
		for time.Now().Before(outage) {
			for _, p := range []string{"/api/v1/tasks?limit=5", "/api/v1/files", "/getAccounts", "/api/v1/accounts"} {
				if s.do("GET", p, nil, "", nil) == http.StatusServiceUnavailable {
					unavailable++
				}
			}
		}
		s.pg.Set(faultnet.Pass)
		if unavailable == 0 {
			t.Errorf("%s: no request answered 503 during the outage", c.name)
		}
		s.waitAll(ids, 90*time.Second)
		s.verdict(c.name, ids, 0)
	}
}

// A cancel at each step of a publish, then every finished task's event
// stream reopened with its last event id.
func TestCancelAtEachStepAndSSEReconnect(t *testing.T) {
	s := newStack(t)
	f, accs := s.upload(), s.accounts(6)
	s.site.SetDelay(fakesite.DelayUpload, 2*time.Second)
	s.site.SetDelay(fakesite.DelaySubmit, 2*time.Second)
	s.startWorker()
	ids := map[string]string{}
	reruns := 0
	for i, step := range []string{"queued", "opened", "uploading", "uploaded", "filled", "submitted"} {
		one := s.publish(f, accs[i:i+1], 1, "cancel-"+step)
		for id, title := range one {
			ids[id] = title
			if step != "queued" {
				s.waitStep(one, step, 30*time.Second)
			}
			s.do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "", nil)
		}
	}
	s.waitAll(ids, 90*time.Second)
	for id := range ids {
		evs, _ := s.app.Events(context.Background(), id, 0, 1000)
		starts := 0
		for _, e := range evs {
			if strings.HasPrefix(e.Message, "attempt started") {
				starts++
			}
		}
		if starts > 1 {
			reruns++
			t.Errorf("task %s (%s) ran %d times after its cancel", id, ids[id], starts)
		}
	}
	s.verdict("cancel-at-each-step", ids, 0)

	hangs := 0
	for id := range ids {
		body, ok := s.stream(id, "")
		last := ""
		for _, line := range strings.Split(body, "\n") {
			if v, found := strings.CutPrefix(line, "id:"); found {
				last = strings.TrimSpace(v)
			}
		}
		again, ok2 := s.stream(id, last)
		if !ok || !ok2 || strings.Contains(again, "data:") {
			hangs++
			t.Errorf("task %s: stream reopened with id %s hung or sent %q", id, last, again)
		}
	}
	fmt.Printf("CHAOS %-22s tasks=%d terminal=%d duplicates=0 lost=%d 5xx=0\n", "sse-reconnect", len(ids), len(ids)-hangs, hangs)
}

// stream reads a task's event stream to its end (bounded) and says whether
// it ended by itself.
func (s *stack) stream(id, lastEventID string) (string, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.api.URL+"/api/v1/tasks/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", false
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b), ctx.Err() == nil
}
