package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"fanout/api/server"
	"fanout/pkg/app"
	"fanout/pkg/deps"
	"fanout/pkg/live"
	"fanout/pkg/metrics"
	"fanout/pkg/postgres"
	"fanout/pkg/webhook"
)

// serveWith runs the HTTP server until ctx ends, then shuts down in order:
// stop accepting, finish in-flight requests (bounded), close Redis, close
// Postgres.
func serveWith(ctx context.Context, cfg Config, log *slog.Logger, ready chan<- string) error {
	loc, err := time.LoadLocation(cfg.TimeZone)
	if err != nil {
		return fmt.Errorf("FANOUT_TIMEZONE: %w", err)
	}
	if cfg.RunMigrations {
		if _, err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
			return err
		}
	}
	st, err := deps.Open(ctx, cfg.Common, cfg.DBTimeout)
	if err != nil {
		return err
	}
	defer st.Close()
	store, queue, files, redisOpt := st.Store, st.Queue, st.Files, st.Redis
	liveSvc := live.New(store, redisOpt, log.With("component", "live"), cfg.Live)
	defer liveSvc.Close()
	events := webhook.NewEmitter(store, redisOpt, log.With("component", "webhooks"))
	defer events.Close()
	liveSvc.SetEvents(events)
	scfg := cfg.server(loc)
	scfg.Live, scfg.Events = liveSvc, events
	core := app.New(store, queue, files, log, scfg.App())
	if err := metrics.Register(metrics.Sources{Queues: queue.Stats, Accounts: store.AccountStatusCounts,
		Rooms: store.OpenLiveRooms, Log: log}); err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	handler := server.Handler(core, log, scfg)
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	// Shutdown waits for requests to finish; event streams and waits end
	// at once instead of holding it for the whole grace period.
	srv.RegisterOnShutdown(core.Close)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("api listening", "addr", ln.Addr().String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("api shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
