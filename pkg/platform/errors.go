package platform

import (
	"errors"
	"fmt"
)

// Errors a driver returns, wrapped with context. The worker maps them to task
// error codes and decides whether to retry.
var (
	// ErrLoginRequired means the session is not (or no longer) logged in.
	// Retrying cannot help; the account must log in again.
	ErrLoginRequired = errors.New("platform: login required")
	// ErrRejected means the platform refused the content. Permanent.
	ErrRejected = errors.New("platform: content rejected")
	// ErrUploadFailed means the upload kept failing after in-page retries.
	ErrUploadFailed = errors.New("platform: upload failed")
	// ErrLoginTimeout means nobody scanned the QR code in time.
	ErrLoginTimeout = errors.New("platform: login timed out")
	// ErrInvalidRequest means the request breaks a platform rule (title too
	// long, schedule too close). Permanent.
	ErrInvalidRequest = errors.New("platform: invalid request")
)

// SelectorError reports that an element a step waits for did not appear in
// time: the page changed or never loaded. It names the step so the user (and
// whoever updates the selectors) knows where the flow broke.
type SelectorError struct {
	Step     string
	Selector string
	Err      error
}

// Error implements error.
func (e *SelectorError) Error() string {
	return fmt.Sprintf("platform: step %s: selector %q not found: %v", e.Step, e.Selector, e.Err)
}

// Unwrap returns the underlying cause (usually a deadline).
func (e *SelectorError) Unwrap() error { return e.Err }
