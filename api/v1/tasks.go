package v1

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
	"fanout/pkg/app"
)

func (h *handler) publish(c *gin.Context) {
	var req app.PublishRequest
	if err := h.bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	ids, err := h.app.Publish(c.Request.Context(), req)
	h.reply(c, http.StatusAccepted, gin.H{"task_ids": ids}, err)
}

func (h *handler) getTask(c *gin.Context) {
	if t, ok := byID(h, c, h.app.GetTask); ok {
		c.JSON(http.StatusOK, t)
	}
}

func (h *handler) listTasks(c *gin.Context) {
	q := app.TaskQuery{State: c.Query("state"), Kind: c.Query("kind"), AccountID: c.Query("account_id"), Cursor: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			n = -1
		}
		q.Limit = n
	}
	page, err := h.app.ListTasks(c.Request.Context(), q)
	h.reply(c, http.StatusOK, page, err)
}

func (h *handler) cancelTask(c *gin.Context) {
	if t, ok := byID(h, c, h.app.CancelTask); ok {
		c.JSON(http.StatusAccepted, t)
	}
}

// answerTask gives a waiting task the person's answer to its verification
// ({"code": "123456"} or {"done": true}).
func (h *handler) answerTask(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	var in app.Answer
	if err := h.bindJSON(c, &in); err != nil {
		h.fail(c, err)
		return
	}
	t, err := h.app.AnswerChallenge(c.Request.Context(), id, in)
	h.reply(c, http.StatusAccepted, t, err)
}

// taskEvents streams a task's events as SSE (event "task", id = event id,
// data = the event JSON) and ends after the event that reaches a terminal
// state. A reconnecting client sends Last-Event-ID and gets only what it
// missed; a client that already has the terminal event (an EventSource
// reconnects after the server closes) gets an empty stream that ends at once.
// Streams also end when the server shuts down. Comments keep idle
// connections alive through proxies.
func (h *handler) taskEvents(c *gin.Context) {
	t, ok := byID(h, c, h.app.GetTask)
	if !ok {
		return
	}
	id, ctx := t.ID, c.Request.Context()
	var after int64
	if v := c.GetHeader("Last-Event-ID"); v != "" {
		after, _ = strconv.ParseInt(v, 10, 64)
	}
	httpx.StartStream(c)
	tick := time.NewTicker(h.app.Poll())
	defer tick.Stop()
	lastWrite, lastCheck := time.Now(), time.Now()
	ended := t.State.Terminal() // the task ended before the stream opened
	for {
		evs, err := h.app.Events(ctx, id, after, 100)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("sse events", "task_id", id, "err", err)
			}
			return
		}
		for _, e := range evs {
			c.Render(-1, httpx.Event{ID: e.ID, Event: "task", Data: e})
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
		if ended {
			return // nothing after the client's last event, and nothing more will come
		}
		if time.Since(lastCheck) > time.Second {
			// A Last-Event-ID beyond the terminal event never sees it: look
			// at the task itself now and then.
			lastCheck = time.Now()
			if t, err := h.app.GetTask(ctx, id); err == nil && t.State.Terminal() {
				ended = true
				continue
			}
		}
		if time.Since(lastWrite) > 15*time.Second {
			httpx.KeepAlive(c)
			lastWrite = time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-h.app.Done():
			return
		case <-tick.C:
		}
	}
}

// listArtifacts names the screenshots and page dumps kept for a task's
// failed browser steps.
func (h *handler) listArtifacts(c *gin.Context) {
	if names, ok := byID(h, c, h.app.Artifacts); ok {
		c.JSON(http.StatusOK, gin.H{"items": names})
	}
}

// getArtifact serves one artifact.
func (h *handler) getArtifact(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	path, err := h.app.ArtifactPath(c.Request.Context(), id, c.Param("name"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.File(path)
}
