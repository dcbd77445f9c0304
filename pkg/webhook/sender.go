package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/netguard"
)

// SenderStore is what sending needs from Postgres.
type SenderStore interface {
	Outbound(ctx context.Context, id string) (Outbound, error)
	RecordAttempt(ctx context.Context, id string, ok bool, status int, errText string, final bool) error
}

// Sender delivers in the worker.
type Sender struct {
	store SenderStore
	http  *http.Client
	log   *slog.Logger
}

// NewSender returns a sender; allowPrivate lets deliveries reach
// loopback, link-local and private addresses (tests, a private network).
func NewSender(store SenderStore, allowPrivate bool, log *slog.Logger) *Sender {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if !allowPrivate {
		d.Control = netguard.Control
	}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}
	return &Sender{store: store, log: log, http: &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Register routes TypeDeliver to the sender.
func (s *Sender) Register(mux *asynq.ServeMux) { mux.HandleFunc(TypeDeliver, s.Handle) }

// Handle sends one delivery: a 2xx answer ends it; anything else is
// recorded and retried by the queue with backoff, up to MaxAttempts.
func (s *Sender) Handle(ctx context.Context, t *asynq.Task) error {
	var p payload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.DeliveryID == "" {
		return fmt.Errorf("webhook: bad payload: %w", asynq.SkipRetry)
	}
	o, err := s.store.Outbound(ctx, p.DeliveryID)
	if job.ErrorCode(err) == job.ENotFound {
		return nil // the webhook was deleted
	}
	if err != nil {
		return err
	}
	if o.State != "pending" {
		return nil // a duplicate message for a delivery already settled
	}
	status, sendErr := s.send(ctx, o)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	final := sendErr == nil || retried >= maxRetry || errors.Is(sendErr, asynq.SkipRetry)
	errText := ""
	if sendErr != nil {
		errText = sendErr.Error()
	}
	if err := s.store.RecordAttempt(context.WithoutCancel(ctx), o.ID, sendErr == nil, status, errText, final); err != nil {
		s.log.Warn("webhook: record attempt", "delivery_id", o.ID, "err", err)
	}
	outcome := "succeeded"
	switch {
	case sendErr == nil:
	case final:
		outcome = "failed"
	default:
		outcome = "retry"
	}
	metrics.WebhookDeliveries.WithLabelValues(o.Event, outcome).Inc()
	if sendErr != nil {
		s.log.Info("webhook delivery failed", "delivery_id", o.ID, "event", o.Event, "status", status, "final", final, "err", sendErr)
	}
	return sendErr
}

// send posts the delivery, signed, and returns the answer's status.
func (s *Sender) send(ctx context.Context, o Outbound) (int, error) {
	ts := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.URL, bytes.NewReader(o.Payload))
	if err != nil {
		return 0, fmt.Errorf("webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Fanout-Webhooks/1")
	req.Header.Set(HeaderID, o.ID)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(ts.Unix()))
	req.Header.Set(HeaderSignature, Sign(o.Secret, o.ID, ts, o.Payload))
	res, err := s.http.Do(req)
	if err != nil {
		if errors.Is(err, netguard.ErrPrivate) {
			return 0, fmt.Errorf("webhook: %w: %w", netguard.ErrPrivate, asynq.SkipRetry)
		}
		return 0, fmt.Errorf("webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return res.StatusCode, fmt.Errorf("webhook: the receiver answered %d", res.StatusCode)
	}
	return res.StatusCode, nil
}

// Outbound is a delivery as the sender needs it.
type Outbound struct {
	ID, URL, Event, Secret string
	Payload                []byte
	State                  string
	Attempts               int
}
