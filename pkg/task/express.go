package task

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// ExpressKey is the Redis list Enqueue pushes every new task onto, beside
// its asynq message. asynq finds work by polling each queue (one script per
// queue per poll), so an idle worker starts a task only at its next poll;
// polling faster multiplies that load. An idle worker instead blocks on
// this list (BRPOP: no load while idle, one waiter woken per task) and
// starts the task the moment it is enqueued. The list is only a hint: the
// asynq message stays the task's doorbell, and whichever side takes the
// message first runs it.
const ExpressKey = "fanout:express"

// expressCap bounds the list when no worker listens (hints past it are
// dropped; the messages still run by polling).
const expressCap = 1000

// ring pushes t's hint: queue, type and id.
func (q *Queue) ring(ctx context.Context, t job.Task) error {
	hint := QueueName(t.Kind, t.Platform) + "\x1f" + TypeName(t.Kind, t.Platform) + "\x1f" + t.ID
	_, err := q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.LPush(ctx, ExpressKey, hint)
		p.LTrim(ctx, ExpressKey, 0, expressCap-1)
		return nil
	})
	return err
}

// Slots bounds how many tasks a worker runs at once across asynq's
// processor and the express lane.
type Slots chan struct{}

// NewSlots returns n slots.
func NewSlots(n int) Slots { return make(Slots, max(n, 1)) }

// Gate wraps h so each task it runs holds a slot.
func (s Slots) Gate(h asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		select {
		case s <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s }()
		return h.ProcessTask(ctx, t)
	})
}

// Express runs tasks from ExpressKey on an idle worker.
type Express struct {
	Queue *Queue
	// Queues are the asynq queues this worker serves; other hints are
	// left to polling.
	Queues map[string]bool
	// Handler runs a task as asynq would (the worker's mux, ungated).
	Handler asynq.Handler
	Slots   Slots
	// RetryDelay and IsFailure are the worker's asynq settings, applied
	// when a task the lane ran asks to be retried.
	RetryDelay asynq.RetryDelayFunc
	// ShutdownTimeout is how long running tasks may go on after Run's ctx
	// ends before theirs does (asynq's setting of the same name).
	ShutdownTimeout time.Duration
	Log             *slog.Logger
}

// Run takes hints until ctx ends, then waits for the tasks it started: they
// have ShutdownTimeout to end, then see a shutdown and hand their task back.
func (e *Express) Run(ctx context.Context) {
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(e.ShutdownTimeout, cancelWork) })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		// Wait for a free slot first, so a hint is taken only by a worker
		// that can start it now; a busy worker leaves it to an idle one.
		select {
		case e.Slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		res, err := e.Queue.rdb.BRPop(ctx, time.Second, ExpressKey).Result()
		if err != nil {
			<-e.Slots
			if !errors.Is(err, redis.Nil) && ctx.Err() == nil {
				e.Log.Warn("express lane: wait for a task", "err", err)
				sleepCtx(ctx, time.Second) // Redis down: polling covers meanwhile
			}
			continue
		}
		qname, typ, id, ok := parseHint(res[1])
		if !ok || !e.Queues[qname] || !e.take(qname, id) {
			<-e.Slots
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-e.Slots }()
			e.run(work, qname, typ, id)
		}()
	}
}

// take removes the task's message while it is still pending, so asynq
// cannot also start it; a message already taken by a processor (active) or
// waiting out a retry is left alone.
func (e *Express) take(qname, id string) bool {
	info, err := e.Queue.inspector.GetTaskInfo(qname, id)
	if err != nil || info.State != asynq.TaskStatePending {
		return false
	}
	return e.Queue.inspector.DeleteTask(qname, id) == nil
}

// run handles the task with asynq's deadline and, when it asks for a retry,
// enqueues it again as asynq would have (Postgres counts the attempts).
func (e *Express) run(ctx context.Context, qname, typ, id string) {
	kind, p, _ := strings.Cut(typ, ":")
	t := job.Task{ID: id, Kind: job.Kind(kind), Platform: platform.Name(p), MaxAttempts: Policies[job.Kind(kind)].MaxAttempts}
	at := New(t)
	rctx, cancel := context.WithTimeout(ctx, Policies[t.Kind].Timeout)
	err := e.Handler.ProcessTask(rctx, at)
	cancel()
	if err == nil || errors.Is(err, asynq.SkipRetry) {
		return
	}
	delay := time.Duration(0)
	if ctx.Err() == nil {
		delay = e.RetryDelay(0, err, at)
	}
	// Not bound to ctx: a shutdown must still hand the task back.
	ectx, ecancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer ecancel()
	if _, qerr := e.Queue.client.EnqueueContext(ectx, at, asynq.ProcessIn(delay)); qerr != nil && !errors.Is(qerr, asynq.ErrTaskIDConflict) {
		// The sweeper re-enqueues a queued task without a message.
		e.Log.Warn("express lane: enqueue the retry", "task_id", id, "queue", qname, "err", fmt.Errorf("%w (after %v)", qerr, err))
	}
}

func parseHint(s string) (qname, typ, id string, ok bool) {
	parts := strings.Split(s, "\x1f")
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
