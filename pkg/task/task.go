// Package task is the asynq adapter. Redis is only Fanout's doorbell: a
// queued message carries a task's ID and nothing else (no request, no
// cookies), its asynq task ID is the task's ID so enqueuing twice is
// harmless, and every retry limit and timeout is chosen per kind here
// instead of asynq's defaults (25 retries, 30 minutes).
package task

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// InteractiveQueue carries logins and cookie checks: a person is waiting for
// them, so they never queue behind a batch of uploads.
const InteractiveQueue = "interactive"

// Policy is how one kind of task is queued and retried.
type Policy struct {
	// MaxAttempts counts the first run; asynq's MaxRetry is one less.
	MaxAttempts int
	// Timeout bounds one attempt; the handler's ctx ends then.
	Timeout time.Duration
}

// Policies per kind. A publish retries twice (its steps are resumable and it
// verifies after a submit), a login never (a QR code needs a person), a check
// once.
var Policies = map[job.Kind]Policy{
	job.KindPublish: {MaxAttempts: 3, Timeout: 20 * time.Minute},
	job.KindLogin:   {MaxAttempts: 1, Timeout: 5 * time.Minute},
	job.KindCheck:   {MaxAttempts: 2, Timeout: 2 * time.Minute},
}

// TypeName is the asynq type of a task: kind:platform, e.g. publish:douyin.
func TypeName(k job.Kind, p platform.Name) string { return string(k) + ":" + string(p) }

// QueueName is the queue a task goes to: publishes by platform, so a slow
// platform never starves the others; logins and checks to InteractiveQueue.
func QueueName(k job.Kind, p platform.Name) string {
	if k == job.KindPublish {
		return string(p)
	}
	return InteractiveQueue
}

// Payload is the whole queue message. V lets a later shape be told apart.
type Payload struct {
	V      int    `json:"v"`
	TaskID string `json:"task_id"`
}

// New builds the asynq task for t.
func New(t job.Task) *asynq.Task {
	b, _ := json.Marshal(Payload{V: 1, TaskID: t.ID})
	pol := Policies[t.Kind]
	return asynq.NewTask(TypeName(t.Kind, t.Platform), b,
		asynq.TaskID(t.ID),
		asynq.Queue(QueueName(t.Kind, t.Platform)),
		asynq.MaxRetry(max(t.MaxAttempts-1, 0)),
		asynq.Timeout(pol.Timeout),
	)
}

// Parse reads a payload. A payload we cannot read will never become readable,
// so it is not retried.
func Parse(t *asynq.Task) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.V != 1 || p.TaskID == "" {
		return p, fmt.Errorf("task: bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	return p, nil
}
