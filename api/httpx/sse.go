package httpx

import (
	"fmt"
	"net/http"

	"github.com/gin-contrib/sse"
	"github.com/gin-gonic/gin"
)

// Event renders one Server-Sent Event with gin's SSE encoder
// (gin-contrib/sse), which escapes multi-line data correctly.
type Event struct {
	ID    int64
	Event string
	Data  any
}

// Render implements gin's render.Render.
func (e Event) Render(w http.ResponseWriter) error {
	return sse.Encode(w, sse.Event{Id: Itoa(e.ID), Event: e.Event, Data: e.Data})
}

// WriteContentType implements gin's render.Render.
func (e Event) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
}

// StartStream answers 200 with the headers of an event stream (no caching,
// no proxy buffering) and flushes them, so the client sees the stream open
// before the first event.
func StartStream(c *gin.Context) {
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-cache")
	c.Header("X-Accel-Buffering", "no")
	c.Status(http.StatusOK)
	c.Writer.Flush()
}

// KeepAlive writes an SSE comment, which keeps idle connections open
// through proxies.
func KeepAlive(c *gin.Context) {
	fmt.Fprint(c.Writer, ": keep-alive\n\n")
	c.Writer.Flush()
}
