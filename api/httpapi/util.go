package httpapi

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

func contextTimeout(c *gin.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), d)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
