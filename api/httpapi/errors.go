package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/job"
)

// statusOf maps error codes to HTTP statuses in one place.
var statusOf = map[string]int{
	job.EInvalid:         http.StatusBadRequest,
	job.ENotFound:        http.StatusNotFound,
	job.EConflict:        http.StatusConflict,
	job.ETooLarge:        http.StatusRequestEntityTooLarge,
	job.EUnsupported:     http.StatusUnsupportedMediaType,
	job.EUnauthorized:    http.StatusUnauthorized,
	job.EUnavailable:     http.StatusServiceUnavailable,
	"method_not_allowed": http.StatusMethodNotAllowed,
	job.EInternal:        http.StatusInternalServerError,
}

// errorBody is the one error envelope of /api/v1.
type errorBody struct {
	Error *job.Error `json:"error"`
}

// fail writes err in the envelope. Errors that are not *job.Error are ours,
// not the client's: they are logged with the request id and shown as
// "internal error".
func (s *Server) fail(c *gin.Context, err error) {
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		c.Abort() // the client left; nobody reads a body
		return
	}
	var e *job.Error
	if !errors.As(err, &e) {
		s.log.Error("request failed", "request_id", c.GetString("request_id"), "path", c.FullPath(), "err", err)
		e = &job.Error{Code: job.EInternal, Message: "internal error"}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusBadRequest
	}
	c.AbortWithStatusJSON(status, errorBody{Error: e})
}

// invalid is a shorthand for a one-field validation error.
func invalid(field, msg string) *job.Error {
	return &job.Error{Code: job.EInvalid, Message: "invalid request", Fields: []job.FieldError{{Field: field, Message: msg}}}
}

// pathID reads a UUID path parameter, rejecting anything else (including
// traversal attempts) with a 400 that names the field.
func pathID(c *gin.Context) (string, error) {
	id := c.Param("id")
	u, err := uuid.Parse(id)
	if err != nil {
		return "", invalid("id", "must be a UUID")
	}
	return u.String(), nil
}

// bindJSON decodes a JSON body, reporting malformed JSON as a 400.
func bindJSON(c *gin.Context, v any) error {
	if c.Request.Body == nil || c.Request.ContentLength == 0 {
		return invalid("body", "a JSON body is required")
	}
	if err := c.ShouldBindJSON(v); err != nil {
		return invalid("body", "malformed JSON: "+err.Error())
	}
	return nil
}
