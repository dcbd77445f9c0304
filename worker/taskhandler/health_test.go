package taskhandler

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"fanout/pkg/job"
)

// Every due check is rung; a ring that fails is left to the sweeper and the
// rest still go; a failed query rings nothing.
func TestHealthChecksRingEachDueCheck(t *testing.T) {
	due := []job.Task{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	var rung []string
	h := &HealthChecks{Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Queue: func(context.Context) ([]job.Task, error) { return due, nil },
		Enqueue: func(_ context.Context, t job.Task) error {
			rung = append(rung, t.ID)
			if t.ID == "b" {
				return errors.New("redis down")
			}
			return nil
		}}
	if n := h.Once(context.Background()); n != 3 || len(rung) != 3 {
		t.Fatalf("queued %d, rang %v", n, rung)
	}
	rung = nil
	h.Queue = func(context.Context) ([]job.Task, error) { return nil, errors.New("database down") }
	if n := h.Once(context.Background()); n != 0 || len(rung) != 0 {
		t.Fatalf("after a failed query: %d, rang %v", n, rung)
	}
	// Off: Run returns at once.
	(&HealthChecks{}).Run(context.Background())
}
