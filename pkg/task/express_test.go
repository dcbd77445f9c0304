package task

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/testenv"
)

// recorder is a handler that records the tasks it ran and answers with err.
type recorder struct {
	mu   sync.Mutex
	ran  map[string]int
	err  error
	done chan string
}

func (r *recorder) ProcessTask(_ context.Context, t *asynq.Task) error {
	p, err := Parse(t)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.ran[p.TaskID]++
	r.mu.Unlock()
	r.done <- p.TaskID
	return r.err
}

func expressSetup(t *testing.T, handlerErr error) (*Queue, *recorder, asynq.RedisClientOpt) {
	addr, db := testenv.Redis(t)
	opt := asynq.RedisClientOpt{Addr: addr, DB: db}
	q := NewQueue(opt)
	t.Cleanup(func() { q.Close() })
	rec := &recorder{ran: map[string]int{}, err: handlerErr, done: make(chan string, 16)}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Express{Queue: q, Queues: map[string]bool{"douyin": true}, Handler: rec, Slots: NewSlots(2),
		RetryDelay: func(int, error, *asynq.Task) time.Duration { return time.Hour },
		Log:        slog.New(slog.NewTextHandler(io.Discard, nil))}
	stopped := make(chan struct{})
	go func() { defer close(stopped); e.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-stopped })
	return q, rec, opt
}

func newPublish() job.Task {
	return job.Task{ID: uuid.NewString(), Kind: job.KindPublish, Platform: platform.Douyin, MaxAttempts: 3}
}

// An idle worker's express lane starts an enqueued task at once, taking its
// asynq message so polling cannot run it a second time.
func TestExpressRunsAnEnqueuedTaskOnce(t *testing.T) {
	q, rec, _ := expressSetup(t, nil)
	tk := newPublish()
	if err := q.Enqueue(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-rec.done:
		if id != tk.ID {
			t.Fatalf("ran %s, want %s", id, tk.ID)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the express lane did not run the task")
	}
	if st, err := q.Lookup(tk); err != nil || st != MessageMissing {
		t.Fatalf("the asynq message is %s (%v): polling could run the task again", st, err)
	}
	// A hint for a queue this worker does not serve is left to polling.
	other := job.Task{ID: uuid.NewString(), Kind: job.KindPublish, Platform: platform.Kuaishou, MaxAttempts: 3}
	if err := q.Enqueue(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if n, _ := q.rdb.LLen(context.Background(), ExpressKey).Result(); n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the hint was not taken")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st, _ := q.Lookup(other); st != MessageWaiting {
		t.Fatalf("a task of an unserved queue is %s, want still waiting for polling", st)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.ran[tk.ID] != 1 || len(rec.ran) != 1 {
		t.Fatalf("runs %v", rec.ran)
	}
}

// A message a processor already took (active) is not run by the lane.
func TestExpressLeavesATakenMessage(t *testing.T) {
	q, rec, opt := expressSetup(t, nil)
	tk := newPublish()
	if _, err := q.client.Enqueue(New(tk)); err != nil {
		t.Fatal(err)
	}
	// Put the message in another worker's hands, then ring.
	srv := asynq.NewServer(opt, asynq.Config{Concurrency: 1, Queues: map[string]int{"douyin": 1},
		TaskCheckInterval: 10 * time.Millisecond, LogLevel: asynq.FatalLevel})
	held := make(chan struct{})
	release := make(chan struct{})
	if err := srv.Start(asynq.HandlerFunc(func(context.Context, *asynq.Task) error {
		close(held)
		<-release
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	defer close(release)
	<-held
	if err := q.ring(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	select {
	case id := <-rec.done:
		t.Fatalf("the lane ran %s though a processor holds it", id)
	case <-time.After(500 * time.Millisecond):
	}
}

// A run that asks for a retry is enqueued again as asynq would (with the
// retry delay), not lost.
func TestExpressRetryIsEnqueued(t *testing.T) {
	q, rec, _ := expressSetup(t, errors.New("try again"))
	tk := newPublish()
	if err := q.Enqueue(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	<-rec.done
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := q.inspector.GetTaskInfo("douyin", tk.ID)
		if err == nil && info.State == asynq.TaskStateScheduled && info.NextProcessAt.After(time.Now().Add(50*time.Minute)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a failed express run the message is %+v (%v), want scheduled an hour out", info, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
