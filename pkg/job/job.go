// Package job holds Fanout's domain: tasks, accounts and files, their states
// and the error type every layer speaks. It depends on nothing but the
// standard library and the platform names, so the API, the worker and every
// adapter can share it without dragging in a database or a queue.
package job

import (
	"encoding/json"
	"time"

	"fanout/pkg/platform"
)

// Kind is what a task does.
type Kind string

// Task kinds. They are stored and are part of the queue type names
// (kind:platform), so they never change once released.
const (
	KindPublish Kind = "publish"
	KindLogin   Kind = "login"
	KindCheck   Kind = "check"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindPublish || k == KindLogin || k == KindCheck }

// State is where a task stands. Every task reaches a terminal state.
type State string

// Task states.
const (
	StateQueued    State = "queued"
	StateRunning   State = "running"
	StateSucceeded State = "succeeded"
	StateFailed    State = "failed"
	StateCanceled  State = "canceled"
)

// Terminal reports whether s is final.
func (s State) Terminal() bool {
	return s == StateSucceeded || s == StateFailed || s == StateCanceled
}

// Valid reports whether s is a known state.
func (s State) Valid() bool { return s == StateQueued || s == StateRunning || s.Terminal() }

// Task is one unit of work on one account: a publish of one file, a QR login
// or a cookie check. Postgres holds it; the queue only carries its ID.
type Task struct {
	ID              string          `json:"id"`
	Kind            Kind            `json:"kind"`
	State           State           `json:"state"`
	Platform        platform.Name   `json:"platform"`
	AccountID       string          `json:"account_id"`
	FileID          *string         `json:"file_id"`
	Step            string          `json:"step"`
	Progress        int             `json:"progress"`
	Attempts        int             `json:"attempts"`
	MaxAttempts     int             `json:"max_attempts"`
	Request         json.RawMessage `json:"request,omitempty"`
	Result          json.RawMessage `json:"result"`
	Error           *TaskError      `json:"error"`
	CancelRequested bool            `json:"cancel_requested"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	StartedAt       *time.Time      `json:"started_at"`
	FinishedAt      *time.Time      `json:"finished_at"`
}

// TaskError is why a task failed (or the last error of a task that will be
// retried). Code is one of the Code* constants.
type TaskError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Step    string `json:"step,omitempty"`
}

// Task error codes, part of the API.
const (
	CodeLoginRequired      = "login_required"
	CodeContentRejected    = "content_rejected"
	CodeSelectorMissing    = "selector_missing"
	CodeUploadFailed       = "upload_failed"
	CodeInvalidRequest     = "invalid_request"
	CodeLoginTimeout       = "login_timeout"
	CodePublishUnconfirmed = "publish_unconfirmed"
	CodeTimeout            = "timeout"
	CodeCanceled           = "canceled"
	CodeRetriesExhausted   = "retries_exhausted"
	// CodeVerificationTimeout: the site asked for a verification (an SMS
	// code, a real-name check) and nobody answered in time.
	CodeVerificationTimeout = "verification_timeout"
	CodeInternal            = "internal"
)

// PublishSpec is a publish task's request, stored with the task.
type PublishSpec struct {
	FileID       string     `json:"file_id"`
	Title        string     `json:"title"`
	Description  string     `json:"description,omitempty"`
	Tags         []string   `json:"tags,omitempty"`
	CoverFileID  string     `json:"cover_file_id,omitempty"`
	ScheduleAt   *time.Time `json:"schedule_at,omitempty"`
	Declaration  string     `json:"declaration,omitempty"`
	ProductLink  string     `json:"product_link,omitempty"`
	ProductTitle string     `json:"product_title,omitempty"`
	ShortTitle   string     `json:"short_title,omitempty"`
	Category     string     `json:"category,omitempty"`
	Draft        bool       `json:"draft,omitempty"`
	Collection   string     `json:"collection,omitempty"`
	Visibility   string     `json:"visibility,omitempty"`
	MadeForKids  *bool      `json:"made_for_kids,omitempty"`
	// ImageFileIDs make the task an image note (图文) of these images in
	// order; FileID is then empty.
	ImageFileIDs []string `json:"image_file_ids,omitempty"`
}

// PlatformRequest is the driver's request for this spec, with the video and
// cover at their paths on disk.
func (s PublishSpec) PlatformRequest(videoPath, coverPath string) platform.PublishRequest {
	req := platform.PublishRequest{VideoPath: videoPath, CoverPath: coverPath, Title: s.Title, Description: s.Description,
		Tags: s.Tags, Declaration: s.Declaration, ProductLink: s.ProductLink, ProductTitle: s.ProductTitle,
		ShortTitle: s.ShortTitle, Category: s.Category, Draft: s.Draft, Collection: s.Collection,
		Visibility: s.Visibility, MadeForKids: s.MadeForKids}
	if s.ScheduleAt != nil {
		req.ScheduleAt = *s.ScheduleAt
	}
	return req
}

// Challenge is a verification a running task waits for, shown in its
// result ("challenge") and events until a person answers it through
// POST /api/v1/tasks/{id}/input.
type Challenge struct {
	// Kind is sms_code, real_name, captcha or confirm_phone.
	Kind string `json:"kind"`
	// Prompt is the site's question.
	Prompt string `json:"prompt"`
	// Screenshot is what the page shows, as a data URL.
	Screenshot string `json:"screenshot,omitempty"`
	// ExpiresAt is when the task stops waiting (and fails with
	// verification_timeout).
	ExpiresAt time.Time `json:"expires_at"`
}

// LoginResult is a login task's result while it runs and after.
type LoginResult struct {
	Phase   platform.Phase `json:"phase"`
	QRCode  string         `json:"qrcode,omitempty"`
	Message string         `json:"message,omitempty"`
}

// Event is one recorded change of a task, streamed over SSE.
type Event struct {
	ID       int64           `json:"id"`
	TaskID   string          `json:"task_id"`
	At       time.Time       `json:"at"`
	State    State           `json:"state"`
	Step     string          `json:"step"`
	Progress int             `json:"progress"`
	Message  string          `json:"message,omitempty"`
	Data     json.RawMessage `json:"data,omitempty"`
}

// AccountStatus is whether an account can publish.
type AccountStatus string

// Account statuses.
const (
	AccountNew      AccountStatus = "new"
	AccountActive   AccountStatus = "active"
	AccountExpired  AccountStatus = "expired"
	AccountChecking AccountStatus = "checking"
)

// Account is one login on one platform. Its cookies and proxy are secrets:
// they live encrypted in Postgres and never appear in JSON.
type Account struct {
	ID            string        `json:"id"`
	Platform      platform.Name `json:"platform"`
	Name          string        `json:"name"`
	Status        AccountStatus `json:"status"`
	HasCookies    bool          `json:"has_cookies"`
	HasProxy      bool          `json:"has_proxy"`
	CreatedAt     time.Time     `json:"created_at"`
	UpdatedAt     time.Time     `json:"updated_at"`
	LastCheckedAt *time.Time    `json:"last_checked_at"`
	LastLoginAt   *time.Time    `json:"last_login_at"`
	// ExpiresHint is when the platform's session cookie says the login
	// ends; null when it does not say.
	ExpiresHint *time.Time `json:"expires_hint"`
}

// File is an uploaded video (or cover image) kept on disk.
type File struct {
	ID          string    `json:"id"`
	Filename    string    `json:"filename"`
	StoredName  string    `json:"-"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
}

// NewTask is a task to create; the store assigns its state (queued) and
// times.
type NewTask struct {
	ID          string
	Kind        Kind
	Platform    platform.Name
	AccountID   string
	FileID      *string
	Request     any
	MaxAttempts int
}

// TaskFilter selects tasks for listing. Empty fields match everything.
type TaskFilter struct {
	State     State
	Kind      Kind
	AccountID string
	Limit     int
	// Cursor is the opaque next_cursor of the previous page.
	Cursor string
}

// The original tool's web API names accounts and files by small integers (a
// seq column beside the UUID); these carry that number with the same rows.

// SeqAccount is an account with its integer id for the legacy web API.
type SeqAccount struct {
	Seq int64
	Account
}

// SeqFile is a file with its integer id for the legacy web API.
type SeqFile struct {
	Seq int64
	File
}
