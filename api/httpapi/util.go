package httpapi

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// loadByID reads the :id path parameter and loads what it names with get.
// On any error it writes the error response itself and reports false.
func loadByID[T any](s *Server, c *gin.Context, get func(context.Context, string) (T, error)) (T, bool) {
	var v T
	id, err := pathID(c)
	if err == nil {
		v, err = get(c.Request.Context(), id)
	}
	if err != nil {
		s.fail(c, err)
		return v, false
	}
	return v, true
}

// reply writes v with status, or err in the error envelope.
func (s *Server) reply(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	if v == nil {
		c.Status(status)
		return
	}
	c.JSON(status, v)
}

func contextTimeout(c *gin.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), d)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
