package v1

import (
	"strconv"
	"time"

	"github.com/gin-contrib/sse"
	"github.com/gin-gonic/gin"

	"fanout/api/httpx"
)

// accountLook is how often the stream looks for account status changes
// (one account listing per open stream).
const accountLook = time.Second

// allEvents streams every task's events as SSE (event "task", id = event
// id, data = the event JSON), and account status changes (event "account",
// no id, data = app.AccountChange), until the client leaves or the server
// shuts down. It starts after Last-Event-ID, else after ?after=, else at
// the newest event: a console follows everything on one connection (a
// browser opens at most six per origin) instead of one per task.
func (h *handler) allEvents(c *gin.Context) {
	ctx := c.Request.Context()
	after := int64(-1)
	for _, v := range []string{c.GetHeader("Last-Event-ID"), c.Query("after")} {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			h.fail(c, invalid("after", "must be an event id"))
			return
		}
		after = n
		break
	}
	if after < 0 {
		last, err := h.app.LastEventID(ctx)
		if err != nil {
			h.fail(c, err)
			return
		}
		after = last
	}
	watch, err := h.app.WatchAccounts(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	httpx.StartStream(c)
	tick := time.NewTicker(h.app.Poll())
	defer tick.Stop()
	lastWrite, lastLook := time.Now(), time.Now()
	for {
		evs, err := h.app.AllEvents(ctx, after, 100)
		if err != nil {
			if ctx.Err() == nil {
				h.log.Warn("sse all events", "err", err)
			}
			return
		}
		for _, e := range evs {
			c.Render(-1, httpx.Event{ID: e.ID, Event: "task", Data: e})
			after = e.ID
			lastWrite = time.Now()
		}
		if time.Since(lastLook) >= accountLook {
			lastLook = time.Now()
			changes, err := watch.Changes(ctx)
			if err != nil && ctx.Err() == nil {
				h.log.Warn("sse account changes", "err", err)
			}
			for _, ch := range changes {
				// No id: a reconnect's Last-Event-ID stays the last task event.
				_ = sse.Encode(c.Writer, sse.Event{Event: "account", Data: ch})
				lastWrite = time.Now()
			}
		}
		if len(evs) > 0 {
			c.Writer.Flush()
			continue
		}
		if time.Since(lastWrite) > 15*time.Second {
			httpx.KeepAlive(c)
			lastWrite = time.Now()
		} else {
			c.Writer.Flush()
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
