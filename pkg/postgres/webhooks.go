package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
	"fanout/pkg/webhook"
)

func webhookAAD(id string) []byte { return []byte("webhook:" + id) }

// CreateWebhook stores a webhook, its secret sealed.
func (s *Store) CreateWebhook(ctx context.Context, w job.Webhook) (job.Webhook, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	sealed := s.box.Seal([]byte(w.Secret), webhookAAD(w.ID))
	err := s.pool.QueryRow(ctx, `INSERT INTO webhooks (id, url, events, secret_enc) VALUES ($1, $2, $3, $4) RETURNING created_at`,
		w.ID, w.URL, w.Events, sealed).Scan(&w.CreatedAt)
	return w, wrap("create webhook", err)
}

// ListWebhooks returns every webhook, oldest first, without secrets.
func (s *Store) ListWebhooks(ctx context.Context) ([]job.Webhook, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT id, url, events, created_at FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, wrap("list webhooks", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Webhook, error) {
		var w job.Webhook
		err := r.Scan(&w.ID, &w.URL, &w.Events, &w.CreatedAt)
		return w, err
	})
	return out, wrap("list webhooks", err)
}

// DeleteWebhook removes a webhook and its deliveries.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
	if err != nil {
		return wrap("delete webhook", err)
	}
	if tag.RowsAffected() == 0 {
		return job.NotFound("webhook")
	}
	return nil
}

// Deliveries returns a webhook's newest deliveries.
func (s *Store) Deliveries(ctx context.Context, webhookID string, limit int) ([]job.Delivery, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = $1)`, webhookID).Scan(&exists); err != nil {
		return nil, wrap("deliveries", err)
	}
	if !exists {
		return nil, job.NotFound("webhook")
	}
	rows, err := s.pool.Query(ctx, `SELECT id, webhook_id, event, payload, state, attempts, last_status, last_error, created_at, delivered_at
		FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id LIMIT $2`, webhookID, limit)
	if err != nil {
		return nil, wrap("deliveries", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Delivery, error) {
		var d job.Delivery
		err := r.Scan(&d.ID, &d.WebhookID, &d.Event, &d.Payload, &d.State, &d.Attempts, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DeliveredAt)
		return d, err
	})
	return out, wrap("deliveries", err)
}

// CreateDeliveries records event with payload for every webhook subscribed
// to it and returns the deliveries' ids (none when nobody listens).
func (s *Store) CreateDeliveries(ctx context.Context, event string, payload any) ([]string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("postgres: create deliveries: %w", err)
	}
	rows, err := s.pool.Query(ctx, `INSERT INTO webhook_deliveries (id, webhook_id, event, payload)
		SELECT gen_random_uuid(), id, $1, $2 FROM webhooks WHERE $1 = ANY(events) OR '*' = ANY(events) RETURNING id`, event, b)
	if err != nil {
		return nil, wrap("create deliveries", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, wrap("create deliveries", err)
}

// Outbound reads a delivery to send, with its webhook's URL and secret.
func (s *Store) Outbound(ctx context.Context, id string) (webhook.Outbound, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var o webhook.Outbound
	var hook string
	var sealed []byte
	err := s.pool.QueryRow(ctx, `SELECT d.id, w.id, w.url, d.event, w.secret_enc, d.payload, d.state, d.attempts
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`, id).
		Scan(&o.ID, &hook, &o.URL, &o.Event, &sealed, &o.Payload, &o.State, &o.Attempts)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, job.NotFound("delivery")
	}
	if err != nil {
		return o, wrap("outbound", err)
	}
	secret, err := s.box.Open(sealed, webhookAAD(hook))
	if err != nil {
		return o, fmt.Errorf("postgres: outbound: %w", err)
	}
	o.Secret = string(secret)
	return o, nil
}

// RecordAttempt records one delivery attempt: its HTTP status (0 when none
// came) and error; state becomes succeeded on ok, failed when final.
func (s *Store) RecordAttempt(ctx context.Context, id string, ok bool, status int, errText string, final bool) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	state := "pending"
	switch {
	case ok:
		state = "succeeded"
	case final:
		state = "failed"
	}
	var st *int
	if status != 0 {
		st = &status
	}
	var e *string
	if errText != "" {
		e = &errText
	}
	_, err := s.pool.Exec(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, state = $2, last_status = $3, last_error = $4,
		updated_at = now(), delivered_at = CASE WHEN $2 = 'succeeded' THEN now() ELSE delivered_at END WHERE id = $1`, id, state, st, e)
	return wrap("record attempt", err)
}
