// Package metrics is Fanout's Prometheus instrumentation
// (prometheus/client_golang, the reference client). The families are
// package-level and registered once per process in the default registry;
// the collectors that read a dependency on scrape (queue depths from asynq's
// inspector, account statuses and open live rooms from Postgres) are
// registered by each binary's main. Names follow Prometheus conventions:
// fanout_<thing>_total for counters, _seconds for durations.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// durations are the buckets of task and step durations: a second to half
// an hour.
var durations = []float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800}

var (
	// HTTPRequests counts API requests by route (the pattern, never the
	// path with its ids), method and status.
	HTTPRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "fanout_http_requests_total", Help: "API requests by route, method and status.",
	}, []string{"route", "method", "status"})
	// HTTPDuration is API request latency by route and method.
	HTTPDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fanout_http_request_duration_seconds", Help: "API request latency by route and method.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})

	// TasksCreated counts tasks created, by kind and platform.
	TasksCreated = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "fanout_tasks_created_total", Help: "Tasks created, by kind and platform.",
	}, []string{"kind", "platform"})
	// TasksFinished counts tasks that reached a terminal state, by kind,
	// platform, state and error code ("" when succeeded).
	TasksFinished = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "fanout_tasks_finished_total", Help: "Tasks finished, by kind, platform, state and error code.",
	}, []string{"kind", "platform", "state", "code"})
	// TaskDuration is how long finished tasks ran (first start to end).
	TaskDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fanout_task_duration_seconds", Help: "Run time of finished tasks, by kind, platform and state.", Buckets: durations,
	}, []string{"kind", "platform", "state"})
	// StepDuration is how long each publish step took.
	StepDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name: "fanout_task_step_duration_seconds", Help: "Time each publish step took, by platform and step.", Buckets: durations,
	}, []string{"platform", "step"})
	// Attempts counts task attempts started.
	Attempts = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "fanout_task_attempts_total", Help: "Task attempts started, by kind and platform.",
	}, []string{"kind", "platform"})
	// BusySlots is how many tasks this worker runs now.
	BusySlots = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "fanout_worker_busy_slots", Help: "Tasks this worker runs now.",
	})
	// BrowserContexts is how many browser contexts are open.
	BrowserContexts = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "fanout_browser_contexts_open", Help: "Browser contexts open in this worker.",
	})
	// KeepAliveFailures counts failed pings of open live rooms.
	KeepAliveFailures = promauto.NewCounter(prometheus.CounterOpts{
		Name: "fanout_live_keepalive_failures_total", Help: "Failed keep-alive pings of open live rooms.",
	})
	// WebhookDeliveries counts webhook delivery attempts by outcome.
	WebhookDeliveries = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "fanout_webhook_deliveries_total", Help: "Webhook delivery attempts, by event and outcome.",
	}, []string{"event", "outcome"})
)

// Since observes the time since start on h.
func Since(h prometheus.Observer, start time.Time) { h.Observe(time.Since(start).Seconds()) }

// Status is an HTTP status as a label.
func Status(code int) string { return strconv.Itoa(code) }

// Handler serves the default registry (Go runtime and process metrics
// included).
func Handler() http.Handler { return promhttp.Handler() }
