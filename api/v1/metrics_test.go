package v1_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"fanout/api/apitest"
)

// The API serves Prometheus metrics; its requests are counted by route
// pattern (never by path), and a publish counts the tasks it created.
func TestMetricsEndpoint(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("metrics")
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"})
	a.Do("GET", "/api/v1/accounts/"+acc.ID, nil, "")
	res, err := http.Get(a.Srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	body := string(b)
	for _, want := range []string{
		`fanout_http_requests_total{method="GET",route="/api/v1/accounts/:id",status="200"}`,
		`fanout_http_request_duration_seconds_bucket{method="POST",route="/api/v1/publish"`,
		`fanout_tasks_created_total{kind="publish",platform="douyin"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, acc.ID) {
		t.Error("/metrics carries an id from a path")
	}
}
