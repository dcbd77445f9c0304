package job

import (
	"errors"
	"fmt"
)

// Error codes of Error, each mapped to one HTTP status by the API.
const (
	EInvalid      = "invalid"
	ENotFound     = "not_found"
	EConflict     = "conflict"
	ETooLarge     = "too_large"
	EUnsupported  = "unsupported_media_type"
	EUnauthorized = "unauthorized"
	EUnavailable  = "unavailable"
	EInternal     = "internal"
)

// FieldError names one request field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an error meant for the API's client: a code, a message safe to
// show, and the fields at fault. Anything else reaching the API is internal.
type Error struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s (%s: %s)", e.Code, e.Message, e.Fields[0].Field, e.Fields[0].Message)
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an *Error.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors collects validation failures so a request reports all of them.
type FieldErrors []FieldError

// Add records that field is wrong.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns an invalid-request *Error, or nil when nothing was added.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: "invalid request", Fields: fe}
}

// ErrorCode returns the code of err's *Error, or EInternal.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// NotFound is a shorthand for a not-found *Error about what.
func NotFound(what string) *Error { return Errorf(ENotFound, "%s not found", what) }
