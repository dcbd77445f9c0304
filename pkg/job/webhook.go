package job

import (
	"encoding/json"
	"time"
)

// Webhook events. A webhook subscribes to some of them, or to "*".
const (
	EventTaskFinished         = "task.finished"              // a task reached succeeded, failed or canceled
	EventVerificationRequired = "task.verification_required" // a task waits for a person (result.challenge)
	EventAccountExpired       = "account.expired"            // an account's session expired
	EventLiveRoomOpened       = "live.room_opened"
	EventLiveRoomClosed       = "live.room_closed"
)

// Events lists every webhook event.
func Events() []string {
	return []string{EventTaskFinished, EventVerificationRequired, EventAccountExpired, EventLiveRoomOpened, EventLiveRoomClosed}
}

// Webhook is a receiver of events. Its secret signs every delivery and is
// shown only when created.
type Webhook struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery is one event sent (or being sent) to a webhook.
type Delivery struct {
	ID          string          `json:"id"`
	WebhookID   string          `json:"webhook_id"`
	Event       string          `json:"event"`
	Payload     json.RawMessage `json:"payload"`
	State       string          `json:"state"` // pending, succeeded, failed
	Attempts    int             `json:"attempts"`
	LastStatus  *int            `json:"last_status"`
	LastError   *string         `json:"last_error"`
	CreatedAt   time.Time       `json:"created_at"`
	DeliveredAt *time.Time      `json:"delivered_at"`
}
