package perf_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

// BenchmarkDispatch is how soon an idle worker starts a task after the API
// created it: the task committed and enqueued as a publish request does,
// picked up by a worker set up as worker/serve.go sets it up — asynq with the
// default idle poll (50 ms) and the express lane beside it (poll-only: the
// poll alone, for comparison). Tasks come one at a time at random gaps, so
// the worker is idle each time. Run with -benchtime=1x.
func BenchmarkDispatch(b *testing.B) {
	b.Run("express", func(b *testing.B) { benchDispatch(b, true) })
	b.Run("poll-only", func(b *testing.B) { benchDispatch(b, false) })
}

func benchDispatch(b *testing.B, express bool) {
	store, _ := pgtest.Store(b)
	addr, db := testenv.Redis(b)
	opt := asynq.RedisClientOpt{Addr: addr, DB: db}
	queue := task.NewQueue(opt)
	b.Cleanup(func() { queue.Close() })
	ctx := context.Background()
	acc, err := store.CreateAccount(ctx, uuid.NewString(), platform.Douyin, "dispatch", "")
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	started := map[string]chan time.Time{}
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 4, Queues: map[string]int{string(platform.Douyin): 1},
		TaskCheckInterval: 50 * time.Millisecond, LogLevel: asynq.ErrorLevel, Logger: task.Logger{Log: discard()}})
	handler := asynq.HandlerFunc(func(_ context.Context, t *asynq.Task) error {
		now := time.Now()
		p, err := task.Parse(t)
		if err != nil {
			return err
		}
		mu.Lock()
		ch := started[p.TaskID]
		mu.Unlock()
		if ch != nil {
			ch <- now
		}
		return nil
	})
	slots := task.NewSlots(4)
	if err := srv.Start(slots.Gate(handler)); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Shutdown)
	if express {
		ectx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			(&task.Express{Queue: queue, Queues: map[string]bool{string(platform.Douyin): true}, Handler: handler,
				Slots: slots, RetryDelay: func(int, error, *asynq.Task) time.Duration { return time.Second }, Log: discard()}).Run(ectx)
		}()
		b.Cleanup(func() { stop(); <-done })
	}
	const n = 60
	var lat []time.Duration
	b.ResetTimer()
	for range n {
		time.Sleep(time.Duration(20+rand.IntN(180)) * time.Millisecond)
		id := uuid.NewString()
		ch := make(chan time.Time, 1)
		mu.Lock()
		started[id] = ch
		mu.Unlock()
		t0 := time.Now()
		ts, err := store.CreateTasks(ctx, []job.NewTask{{ID: id, Kind: job.KindPublish, Platform: platform.Douyin, AccountID: acc.ID, MaxAttempts: 1}})
		if err != nil {
			b.Fatal(err)
		}
		if err := queue.Enqueue(ctx, ts[0]); err != nil {
			b.Fatal(err)
		}
		select {
		case at := <-ch:
			lat = append(lat, at.Sub(t0))
		case <-time.After(10 * time.Second):
			b.Fatalf("task %s never started", id)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "dispatch-p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "dispatch-p99-ms")
}
