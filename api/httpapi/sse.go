package httpapi

import (
	"net/http"

	"github.com/gin-contrib/sse"
)

// sseEvent renders one Server-Sent Event with gin's SSE encoder
// (gin-contrib/sse), which escapes multi-line data correctly.
type sseEvent struct {
	id    int64
	event string
	data  any
}

func (e sseEvent) Render(w http.ResponseWriter) error {
	return sse.Encode(w, sse.Event{Id: itoa(e.id), Event: e.event, Data: e.data})
}

func (e sseEvent) WriteContentType(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
}
