package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Queue is the asynq queue of the live jobs, apart from uploads so a
// scheduled start never waits behind them.
const Queue = "live"

// asynq task types of the live jobs.
const (
	TypeSchedule = "live:schedule"
	TypeLogin    = "live:login"
)

// Schedule actions.
const (
	ActionStart = "start"
	ActionStop  = "stop"
)

// schedulePayload is a schedule job: which action of which schedule
// version, for which time. No secret, no title: the job reads Postgres.
type schedulePayload struct {
	V        int    `json:"v"`
	DouyinID string `json:"douyin_id"`
	Action   string `json:"action"`
	Version  int64  `json:"version"`
	At       int64  `json:"at"`
}

type loginPayload struct {
	V       int    `json:"v"`
	LoginID string `json:"login_id"`
}

// ScheduleTaskID is the asynq task ID of a schedule action. It is derived
// from the 抖音号, the action and the schedule version, so queuing it twice
// is harmless and a new version never collides with a job still running.
func ScheduleTaskID(douyinID, action string, version int64) string {
	return fmt.Sprintf("live:%s:%s:v%d", douyinID, action, version)
}

type jobs struct {
	client    *asynq.Client
	inspector *asynq.Inspector
}

func newJobs(opt asynq.RedisConnOpt) *jobs {
	return &jobs{client: asynq.NewClient(opt), inspector: asynq.NewInspector(opt)}
}

func (j *jobs) close() error { return errors.Join(j.client.Close(), j.inspector.Close()) }

func (j *jobs) enqueue(ctx context.Context, t *asynq.Task, opts ...asynq.Option) error {
	_, err := j.client.EnqueueContext(ctx, t, opts...)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return fmt.Errorf("live: enqueue %s: %w", t.Type(), err)
	}
	return nil
}

// actions lists the enabled actions of sc with their times.
func actions(sc Schedule) map[string]time.Time {
	out := map[string]time.Time{}
	if sc.StartEnabled && sc.StartAt != nil {
		out[ActionStart] = *sc.StartAt
	}
	if sc.StopEnabled && sc.StopAt != nil {
		out[ActionStop] = *sc.StopAt
	}
	return out
}

// schedule queues sc's enabled actions for their times (a time already past
// runs at once).
func (j *jobs) schedule(ctx context.Context, sc Schedule, now time.Time) error {
	var errs []error
	for action, at := range actions(sc) {
		b, _ := json.Marshal(schedulePayload{V: 1, DouyinID: sc.DouyinID, Action: action, Version: sc.Version, At: at.Unix()})
		opts := []asynq.Option{asynq.TaskID(ScheduleTaskID(sc.DouyinID, action, sc.Version)), asynq.Queue(Queue),
			asynq.MaxRetry(3), asynq.Timeout(2 * time.Minute)}
		if at.After(now) {
			opts = append(opts, asynq.ProcessAt(at))
		}
		errs = append(errs, j.enqueue(ctx, asynq.NewTask(TypeSchedule, b), opts...))
	}
	return errors.Join(errs...)
}

// cancel deletes the queued jobs of schedule version sc (both actions).
func (j *jobs) cancel(sc Schedule) error {
	if sc.Version == 0 {
		return nil
	}
	var errs []error
	for _, action := range []string{ActionStart, ActionStop} {
		err := j.inspector.DeleteTask(Queue, ScheduleTaskID(sc.DouyinID, action, sc.Version))
		if err != nil && !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
			errs = append(errs, fmt.Errorf("live: delete schedule job: %w", err))
		}
	}
	return errors.Join(errs...)
}

// login queues a QR login job; a person waits for it, so it never retries.
func (j *jobs) login(ctx context.Context, id string) error {
	b, _ := json.Marshal(loginPayload{V: 1, LoginID: id})
	return j.enqueue(ctx, asynq.NewTask(TypeLogin, b), asynq.TaskID("live:login:"+id), asynq.Queue(Queue),
		asynq.MaxRetry(0), asynq.Timeout(10*time.Minute))
}
