package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
)

// taskView is a task as the API shows it; the stored request stays internal.
func taskView(t job.Task) job.Task {
	t.Request = nil
	return t
}

func (s *Server) getTask(c *gin.Context) {
	if t, ok := loadByID(s, c, s.store.GetTask); ok {
		c.JSON(http.StatusOK, taskView(t))
	}
}

func (s *Server) listTasks(c *gin.Context) {
	f := job.TaskFilter{State: job.State(c.Query("state")), Kind: job.Kind(c.Query("kind")), Cursor: c.Query("cursor")}
	var fe job.FieldErrors
	if f.State != "" && !f.State.Valid() {
		fe.Add("state", "must be one of queued, running, succeeded, failed, canceled")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		fe.Add("kind", "must be one of publish, login, check")
	}
	if a := c.Query("account_id"); a != "" {
		u, err := uuid.Parse(a)
		if err != nil {
			fe.Add("account_id", "must be a UUID")
		}
		f.AccountID = u.String()
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 200 {
			fe.Add("limit", "must be between 1 and 200")
		}
		f.Limit = n
	}
	if err := fe.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ts, next, err := s.store.ListTasks(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range ts {
		ts[i] = taskView(ts[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": ts, "next_cursor": next})
}

func (s *Server) cancelTask(c *gin.Context) {
	t, ok := loadByID(s, c, s.store.RequestCancel)
	if !ok {
		return
	}
	if err := s.queue.Cancel(c.Request.Context(), t); err != nil {
		s.log.Warn("cancel in queue failed; the worker will see the cancel in Postgres", "task_id", t.ID, "err", err)
	}
	c.JSON(http.StatusAccepted, taskView(t))
}

// taskEvents streams a task's events as SSE (event "task", id = event id,
// data = the event JSON) and ends after the event that reaches a terminal
// state. A reconnecting client sends Last-Event-ID and gets only what it
// missed. Comments keep idle connections alive through proxies.
func (s *Server) taskEvents(c *gin.Context) {
	t, ok := loadByID(s, c, s.store.GetTask)
	if !ok {
		return
	}
	id, ctx := t.ID, c.Request.Context()
	var after int64
	if v := c.GetHeader("Last-Event-ID"); v != "" {
		after, _ = strconv.ParseInt(v, 10, 64)
	}
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-cache")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	c.Writer.Flush()
	tick := time.NewTicker(s.cfg.EventPoll)
	defer tick.Stop()
	lastWrite := time.Now()
	for {
		evs, err := s.store.Events(ctx, id, after, 100)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("sse events", "task_id", id, "err", err)
			}
			return
		}
		for _, e := range evs {
			c.Render(-1, sseEvent{id: e.ID, event: "task", data: e})
			after = e.ID
			lastWrite = time.Now()
			if e.State.Terminal() {
				c.Writer.Flush()
				return
			}
		}
		if len(evs) > 0 {
			c.Writer.Flush()
			continue
		}
		if time.Since(lastWrite) > 15*time.Second {
			fmt.Fprint(c.Writer, ": keep-alive\n\n")
			c.Writer.Flush()
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
