package v1_test

import (
	"testing"

	"fanout/api/apitest"
	"fanout/pkg/job"
)

// Webhooks: http(s) only, never the server's own network unless allowed,
// known events only; the secret is shown once; deliveries are listed per
// webhook.
func TestWebhookRoutes(t *testing.T) {
	a := apitest.Setup(t)
	a.JSONDo("POST", "/api/v1/webhooks", map[string]any{"url": "http://127.0.0.1:9/x", "events": []string{"task.finished"}}).
		WantError(t, 400, job.EInvalid, "url")
	a.JSONDo("POST", "/api/v1/webhooks", map[string]any{"url": "ftp://example.com/x", "events": []string{"task.finished"}}).
		WantError(t, 400, job.EInvalid, "url")
	a.JSONDo("POST", "/api/v1/webhooks", map[string]any{"url": "https://203.0.113.7/x", "events": []string{"task.exploded"}}).
		WantError(t, 400, job.EInvalid, "events[0]")
	a.JSONDo("POST", "/api/v1/webhooks", map[string]any{"url": "https://203.0.113.7/x"}).WantError(t, 400, job.EInvalid, "events")
	r := a.JSONDo("POST", "/api/v1/webhooks", map[string]any{"url": "https://203.0.113.7/x", "events": []string{"task.finished", "account.expired"}})
	var w job.Webhook
	r.JSON(t, &w)
	if r.Status != 201 || w.ID == "" || len(w.Secret) < 16 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var list struct{ Items []job.Webhook }
	a.Do("GET", "/api/v1/webhooks", nil, "").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].Secret != "" {
		t.Fatalf("list %+v shows a secret or misses the webhook", list.Items)
	}
	var ds struct{ Items []job.Delivery }
	if r := a.Do("GET", "/api/v1/webhooks/"+w.ID+"/deliveries", nil, ""); r.Status != 200 {
		t.Fatalf("deliveries: %d", r.Status)
	} else {
		r.JSON(t, &ds)
	}
	if r := a.Do("DELETE", "/api/v1/webhooks/"+w.ID, nil, ""); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	a.Do("GET", "/api/v1/webhooks/"+w.ID+"/deliveries", nil, "").WantError(t, 404, job.ENotFound, "")
	a.Do("DELETE", "/api/v1/webhooks/"+w.ID, nil, "").WantError(t, 404, job.ENotFound, "")
}
