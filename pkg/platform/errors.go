package platform

import "errors"

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
