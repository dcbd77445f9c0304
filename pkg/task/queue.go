package task

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
)

// Queue enqueues, cancels and looks up tasks in Redis.
type Queue struct {
	client    *asynq.Client
	inspector *asynq.Inspector
	rdb       redis.UniversalClient
}

// NewQueue connects to Redis with opt.
func NewQueue(opt asynq.RedisConnOpt) *Queue {
	return &Queue{
		client:    asynq.NewClient(opt),
		inspector: asynq.NewInspector(opt),
		rdb:       opt.MakeRedisClient().(redis.UniversalClient),
	}
}

// Close releases the Redis connections.
func (q *Queue) Close() error {
	return errors.Join(q.client.Close(), q.inspector.Close(), q.rdb.Close())
}

// Ping checks Redis answers.
func (q *Queue) Ping(ctx context.Context) error { return q.rdb.Ping(ctx).Err() }

// Enqueue rings the doorbell for t. A task already in Redis under the same ID
// is not an error: the message that is there will run it.
func (q *Queue) Enqueue(ctx context.Context, t job.Task) error {
	_, err := q.client.EnqueueContext(ctx, New(t))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("task: enqueue %s: %w", t.ID, err)
	}
	// The message is in; the express hint is only speed, so its failure is
	// not the caller's.
	_ = q.ring(ctx, t)
	return nil
}

// Cancel removes a queued message, or signals the worker running it. Both are
// best effort: Postgres already records the cancel and the worker checks it.
func (q *Queue) Cancel(ctx context.Context, t job.Task) error {
	queue := QueueName(t.Kind, t.Platform)
	err := q.inspector.DeleteTask(queue, t.ID)
	if err == nil || errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
		return nil
	}
	if err := q.inspector.CancelProcessing(t.ID); err != nil {
		return fmt.Errorf("task: cancel %s: %w", t.ID, err)
	}
	return nil
}

// MessageState is what Redis holds for a task.
type MessageState string

// Message states; MessageMissing means Redis has no message for the task.
const (
	MessageMissing  MessageState = "missing"
	MessageWaiting  MessageState = "waiting" // pending, scheduled or retry
	MessageActive   MessageState = "active"
	MessageFinished MessageState = "finished" // archived or completed: will not run again
)

// Lookup tells whether Redis still holds a message that will run t.
func (q *Queue) Lookup(t job.Task) (MessageState, error) {
	info, err := q.inspector.GetTaskInfo(QueueName(t.Kind, t.Platform), t.ID)
	if errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound) {
		return MessageMissing, nil
	}
	if err != nil {
		return "", fmt.Errorf("task: lookup %s: %w", t.ID, err)
	}
	switch info.State {
	case asynq.TaskStateActive:
		return MessageActive, nil
	case asynq.TaskStateArchived, asynq.TaskStateCompleted:
		return MessageFinished, nil
	default:
		return MessageWaiting, nil
	}
}

// Forget deletes a finished message so the same task ID can be enqueued again.
func (q *Queue) Forget(t job.Task) error {
	err := q.inspector.DeleteTask(QueueName(t.Kind, t.Platform), t.ID)
	if err != nil && !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
		return fmt.Errorf("task: forget %s: %w", t.ID, err)
	}
	return nil
}

// EnqueueRecovery enqueues a second message for a task whose worker died
// while Redis still holds the first one as active (asynq would only recover
// it after its lease expires, a minute or two later). Its ID is derived from
// the task ID and attempt, so concurrent sweepers add it once; when the old
// message comes back later, the claim in Postgres makes it a no-op.
func (q *Queue) EnqueueRecovery(ctx context.Context, t job.Task) error {
	at := New(t)
	_, err := q.client.EnqueueContext(ctx, at, asynq.TaskID(fmt.Sprintf("%s:recover:%d", t.ID, t.Attempts)))
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("task: enqueue recovery %s: %w", t.ID, err)
	}
	return nil
}

// Stats is every queue's depth and latency, for the metrics.
func (q *Queue) Stats() ([]metrics.QueueStat, error) {
	names, err := q.inspector.Queues()
	if err != nil {
		return nil, fmt.Errorf("task: queues: %w", err)
	}
	out := make([]metrics.QueueStat, 0, len(names))
	for _, n := range names {
		info, err := q.inspector.GetQueueInfo(n)
		if err != nil {
			continue // the queue was removed meanwhile
		}
		out = append(out, metrics.QueueStat{Queue: n, Pending: info.Pending, Active: info.Active,
			Scheduled: info.Scheduled, Retry: info.Retry, Latency: info.Latency})
	}
	return out, nil
}
