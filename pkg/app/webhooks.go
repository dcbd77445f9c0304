package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/netguard"
)

// Emitter tells webhooks about an event (*webhook.Emitter).
type Emitter interface {
	Emit(ctx context.Context, event string, data any)
}

// WebhookInput is a webhook as a client creates it.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret"`
}

// CreateWebhook registers a receiver of events. Its URL must be http(s)
// and, unless the operator allows it, not on the server's own network; the
// events are a subset of job.Events() (or "*"). Without a secret one is
// made; it is returned this once and stored sealed.
func (a *App) CreateWebhook(ctx context.Context, in WebhookInput) (job.Webhook, error) {
	var fe job.FieldErrors
	u, err := url.Parse(strings.TrimSpace(in.URL))
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || len(in.URL) > 2048:
		fe.Add("url", "must be an http(s) URL")
	case !a.cfg.AllowPrivateWebhooks && errors.Is(netguard.CheckHost(ctx, u.Hostname()), netguard.ErrPrivate):
		fe.Add("url", "points at a loopback, link-local or private address (set FANOUT_WEBHOOK_ALLOW_PRIVATE=true to allow)")
	}
	if len(in.Events) == 0 {
		fe.Add("events", "at least one event: %s, or *", strings.Join(job.Events(), ", "))
	}
	seen := map[string]bool{}
	for i, e := range in.Events {
		switch {
		case e != "*" && !slices.Contains(job.Events(), e):
			fe.Add("events["+itoa(i)+"]", "unknown event (known: %s, *)", strings.Join(job.Events(), ", "))
		case seen[e]:
			fe.Add("events["+itoa(i)+"]", "listed twice")
		}
		seen[e] = true
	}
	secret := in.Secret
	if secret == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		secret = "whsec_" + base64.RawURLEncoding.EncodeToString(b)
	} else if len(secret) < 16 || len(secret) > 256 || !CleanText(secret, false) {
		fe.Add("secret", "16 to 256 characters")
	}
	if err := fe.Err(); err != nil {
		return job.Webhook{}, err
	}
	return a.store.CreateWebhook(ctx, job.Webhook{ID: uuid.NewString(), URL: u.String(), Events: in.Events, Secret: secret})
}

// ListWebhooks returns the webhooks (without their secrets).
func (a *App) ListWebhooks(ctx context.Context) ([]job.Webhook, error) {
	return a.store.ListWebhooks(ctx)
}

// DeleteWebhook removes a webhook and its deliveries.
func (a *App) DeleteWebhook(ctx context.Context, id string) error {
	return a.store.DeleteWebhook(ctx, id)
}

// Deliveries returns a webhook's 100 newest deliveries.
func (a *App) Deliveries(ctx context.Context, id string) ([]job.Delivery, error) {
	return a.store.Deliveries(ctx, id, 100)
}

// emit tells webhooks about event, when the application has an emitter.
func (a *App) emit(ctx context.Context, event string, data any) {
	if a.cfg.Events != nil {
		a.cfg.Events.Emit(ctx, event, data)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
