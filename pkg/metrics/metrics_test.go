package metrics_test

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fanout/pkg/metrics"
)

// The scrape shows the families, including what the collectors read at
// scrape time; registering twice in one process replaces the first.
func TestScrape(t *testing.T) {
	metrics.TasksCreated.WithLabelValues("publish", "douyin").Inc()
	src := metrics.Sources{
		Queues: func() ([]metrics.QueueStat, error) {
			return []metrics.QueueStat{{Queue: "douyin", Pending: 3, Latency: 2 * time.Second}}, nil
		},
		Accounts: func(context.Context) ([]metrics.AccountCount, error) {
			return []metrics.AccountCount{{Platform: "douyin", Status: "active", N: 2}}, nil
		},
		Rooms: func(context.Context) (int, error) { return 1, nil },
	}
	for range 2 {
		if err := metrics.Register(src); err != nil {
			t.Fatal(err)
		}
	}
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`fanout_tasks_created_total{kind="publish",platform="douyin"} 1`,
		`fanout_queue_tasks{queue="douyin",state="pending"} 3`,
		`fanout_queue_latency_seconds{queue="douyin"} 2`,
		`fanout_accounts{platform="douyin",status="active"} 2`,
		`fanout_live_rooms_open 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}
