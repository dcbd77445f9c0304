package main

import (
	"context"
	"log/slog"

	"github.com/hibiken/asynq"

	"fanout/pkg/live"
	"fanout/pkg/postgres"
)

// startLive wires the Douyin live assistant into the worker: its job
// handlers on mux, its queue in queues (before the asynq server is built),
// and its keep-alive and reconcile loop, which picks up every room that is
// live in Postgres. The returned func stops the loop and releases the
// service; call it after the asynq server has shut down.
func startLive(ctx context.Context, cfg Config, store *postgres.Store, redisOpt asynq.RedisConnOpt,
	mux *asynq.ServeMux, queues map[string]int, workerID string, events live.Emitter, log *slog.Logger) (stop func()) {
	svc := live.New(store, redisOpt, log.With("component", "live"), cfg.Live)
	svc.SetEvents(events)
	w := live.NewWorker(svc, workerID)
	w.Register(mux)
	queues[live.Queue] = 4
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); w.Run(runCtx) }()
	return func() {
		cancel()
		<-done
		if err := svc.Close(); err != nil {
			log.Warn("live: close", "err", err)
		}
	}
}
