// Package webhook tells receivers what happened: a task finished, a task
// waits for a person, an account expired, a live room opened or closed.
// Emitting records one delivery per subscribed webhook in Postgres and
// rings the queue with the delivery's id (never its payload or secret); the
// worker sends it (Sender), at least once, retried with backoff a bounded
// number of times, each attempt recorded. The body is signed with
// HMAC-SHA256 after the Standard Webhooks convention (webhook-id,
// webhook-timestamp and webhook-signature headers), so a receiver can check
// it came from here and is fresh.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
)

// TypeDeliver is the queue task that sends one delivery.
const TypeDeliver = "webhook:deliver"

// Queue is the asynq queue deliveries wait in.
const Queue = "webhooks"

// MaxAttempts bounds how many times a delivery is tried.
const MaxAttempts = 8

// Headers a delivery carries (Standard Webhooks).
const (
	HeaderID        = "Webhook-Id"
	HeaderTimestamp = "Webhook-Timestamp"
	HeaderSignature = "Webhook-Signature"
)

// Sign is the signature of a delivery: "v1," and the base64 HMAC-SHA256,
// with secret, of "<id>.<unix timestamp>.<body>".
func Sign(secret, id string, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%s.%d.", id, ts.Unix())
	m.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// Verify checks a received delivery's signature and that its timestamp is
// within tolerance of now (a receiver's side, for tests and for users).
func Verify(secret, id, timestamp, signature string, body []byte, tolerance time.Duration) bool {
	n, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return false
	}
	ts := time.Unix(n, 0)
	if d := time.Since(ts); d > tolerance || d < -tolerance {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, id, ts, body)), []byte(signature))
}

// Store is what emitting needs from Postgres.
type Store interface {
	CreateDeliveries(ctx context.Context, event string, payload any) ([]string, error)
}

// Emitter records and rings deliveries.
type Emitter struct {
	store  Store
	client *asynq.Client
	log    *slog.Logger
}

// NewEmitter returns an emitter over store and the Redis of redis.
func NewEmitter(store Store, redis asynq.RedisConnOpt, log *slog.Logger) *Emitter {
	return &Emitter{store: store, client: asynq.NewClient(redis), log: log}
}

// Close releases the Redis client.
func (e *Emitter) Close() error { return e.client.Close() }

// Event is the body a receiver gets.
type Event struct {
	Type string    `json:"type"`
	At   time.Time `json:"at"`
	Data any       `json:"data"`
}

// Emit records event with data for every subscribed webhook and rings the
// queue for each. It never fails its caller: a recording or ringing that
// fails is logged (a lost doorbell is rung again by nothing, so the
// delivery stays pending and visible in its webhook's list).
func (e *Emitter) Emit(ctx context.Context, event string, data any) {
	if e == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	ids, err := e.store.CreateDeliveries(ctx, event, Event{Type: event, At: time.Now().UTC(), Data: data})
	if err != nil {
		e.log.Warn("webhook: record deliveries", "event", event, "err", err)
		return
	}
	for _, id := range ids {
		b, _ := json.Marshal(payload{DeliveryID: id})
		_, err := e.client.EnqueueContext(ctx, asynq.NewTask(TypeDeliver, b), asynq.Queue(Queue), asynq.TaskID("webhook:"+id),
			asynq.MaxRetry(MaxAttempts-1), asynq.Timeout(30*time.Second))
		if err != nil {
			e.log.Warn("webhook: ring the queue", "delivery_id", id, "err", err)
		}
	}
}

// payload is the queue message: the delivery's id only.
type payload struct {
	DeliveryID string `json:"delivery_id"`
}
