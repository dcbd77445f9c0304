package app

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// TaskView is a task as clients see it: a publish shows what it was asked
// (its title, tags, schedule_at: what the console's timeline and retry
// read); other kinds' stored requests stay internal.
func TaskView(t job.Task) job.Task {
	if t.Kind != job.KindPublish {
		t.Request = nil
	}
	return t
}

// GetTask returns one task as clients see it.
func (a *App) GetTask(ctx context.Context, id string) (job.Task, error) {
	t, err := a.store.GetTask(ctx, id)
	return TaskView(t), err
}

// TaskQuery selects tasks to list; Limit 0 means the default page, a
// negative Limit is one the client got wrong.
type TaskQuery struct {
	State     string
	Kind      string
	AccountID string
	Limit     int
	Cursor    string
}

// TaskPage is one page of tasks, newest first.
type TaskPage struct {
	Items      []job.Task `json:"items"`
	NextCursor string     `json:"next_cursor"`
}

// ListTasks returns tasks newest first, a page at a time.
func (a *App) ListTasks(ctx context.Context, q TaskQuery) (TaskPage, error) {
	f := job.TaskFilter{State: job.State(q.State), Kind: job.Kind(q.Kind), Cursor: q.Cursor, Limit: q.Limit}
	var fe job.FieldErrors
	if f.State != "" && !f.State.Valid() {
		fe.Add("state", "must be one of queued, running, succeeded, failed, canceled")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		fe.Add("kind", "must be one of publish, login, check")
	}
	if q.AccountID != "" {
		u, err := uuid.Parse(q.AccountID)
		if err != nil {
			fe.Add("account_id", "must be a UUID")
		}
		f.AccountID = u.String()
	}
	if q.Limit < 0 || q.Limit > 200 {
		fe.Add("limit", "must be between 1 and 200")
	}
	if err := fe.Err(); err != nil {
		return TaskPage{}, err
	}
	ts, next, err := a.store.ListTasks(ctx, f)
	if err != nil {
		return TaskPage{}, err
	}
	for i := range ts {
		ts[i] = TaskView(ts[i])
	}
	return TaskPage{Items: ts, NextCursor: next}, nil
}

// CancelTask cancels a task: a queued one at once, a running one at its
// next safe point. A finished task is a conflict.
func (a *App) CancelTask(ctx context.Context, id string) (job.Task, error) {
	t, err := a.store.RequestCancel(ctx, id)
	if err != nil {
		return t, err
	}
	if err := a.queue.Cancel(ctx, t); err != nil {
		a.log.Warn("cancel in queue failed; the worker will see the cancel in Postgres", "task_id", t.ID, "err", err)
	}
	if t.State.Terminal() { // a queued task ends here; a running one in its worker
		a.emit(ctx, job.EventTaskFinished, TaskView(t))
	}
	return TaskView(t), nil
}

// Answer is a person's reply to a verification a task waits for: the code
// the site sent (SMS), or done for a check finished on the phone.
type Answer struct {
	Code string `json:"code"`
	Done bool   `json:"done"`
}

// AnswerChallenge hands a person's answer to the task waiting for it (step
// verification_required); the same attempt goes on with it. A task not
// waiting is a conflict.
func (a *App) AnswerChallenge(ctx context.Context, id string, in Answer) (job.Task, error) {
	var fe job.FieldErrors
	code := strings.TrimSpace(in.Code)
	switch {
	case code == "" && !in.Done:
		fe.Add("code", "give the code, or done: true for a check finished on the phone")
	case code != "" && in.Done:
		fe.Add("done", "give either code or done")
	case len(code) > 64:
		fe.Add("code", "at most 64 characters")
	case code != "":
		checkText(&fe, "code", code, false)
	}
	if err := fe.Err(); err != nil {
		return job.Task{}, err
	}
	t, err := a.store.SetInput(ctx, id, platform.Answer{Code: code, Done: in.Done})
	return TaskView(t), err
}

// cancelQuietly cancels a task, best effort: one that ended meanwhile is
// fine, anything else is logged.
func (a *App) cancelQuietly(ctx context.Context, id string) {
	if _, err := a.CancelTask(ctx, id); err != nil && job.ErrorCode(err) != job.EConflict {
		a.log.Warn("cancel task", "task_id", id, "err", err)
	}
}

// Events returns a task's recorded changes after the event afterID, at
// most limit of them, oldest first.
func (a *App) Events(ctx context.Context, taskID string, afterID int64, limit int) ([]job.Event, error) {
	return a.store.Events(ctx, taskID, afterID, limit)
}

// WaitTerminal polls tasks until all are terminal, wait passes or ctx ends,
// and returns which ones finished.
func (a *App) WaitTerminal(ctx context.Context, ids []string, wait time.Duration) map[string]bool {
	done := map[string]bool{}
	if len(ids) == 0 {
		return done
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(a.cfg.Poll)
	defer tick.Stop()
	for {
		ts, err := a.store.GetTasks(ctx, ids)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Warn("wait for tasks", "err", err)
			}
			return done
		}
		for _, t := range ts {
			if t.State.Terminal() {
				done[t.ID] = true
			}
		}
		if len(done) >= len(ids) {
			return done
		}
		select {
		case <-ctx.Done():
			return done
		case <-deadline.C:
			return done
		case <-a.done:
			return done
		case <-tick.C:
		}
	}
}

// artifactName is what the worker writes (attempt-N-screenshot.png,
// attempt-N-page.html); anything else, including traversal, is refused.
var artifactName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$`)

func (a *App) artifactDir(taskID string) string {
	return filepath.Join(a.files.Dir(), "artifacts", taskID)
}

// Artifacts names the screenshots and page dumps kept for a task's failed
// browser steps.
func (a *App) Artifacts(ctx context.Context, taskID string) ([]string, error) {
	t, err := a.store.GetTask(ctx, taskID)
	if err != nil {
		return nil, err
	}
	names := []string{}
	entries, err := os.ReadDir(a.artifactDir(t.ID))
	if err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() && artifactName.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// ArtifactPath returns where one artifact of a task is on disk.
func (a *App) ArtifactPath(ctx context.Context, taskID, name string) (string, error) {
	t, err := a.store.GetTask(ctx, taskID)
	if err != nil {
		return "", err
	}
	if !artifactName.MatchString(name) {
		return "", invalid("name", "not an artifact name")
	}
	path := filepath.Join(a.artifactDir(t.ID), name)
	if _, err := os.Stat(path); err != nil {
		return "", job.NotFound("artifact")
	}
	return path, nil
}
