package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/pkg/browser"
	"fanout/pkg/deps"
	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/platform"
	"fanout/pkg/platform/baijiahao"
	"fanout/pkg/platform/bilibili"
	"fanout/pkg/platform/channels"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/kuaishou"
	"fanout/pkg/platform/tiktok"
	"fanout/pkg/platform/weibo"
	"fanout/pkg/platform/xiaohongshu"
	"fanout/pkg/platform/youtube"
	"fanout/pkg/task"
	"fanout/pkg/webhook"
	"fanout/worker/taskhandler"
)

// drivers is the platform registry: one line per platform.
func drivers(cfg Config) *platform.Registry {
	return platform.NewRegistry(
		douyin.New(douyin.Config{BaseURL: cfg.DouyinBaseURL, Declaration: cfg.Declaration,
			Timeouts: douyin.Timeouts{Element: cfg.ElementTimeout}}),
		kuaishou.New(kuaishou.Config{BaseURL: cfg.KuaishouBaseURL, PassportURL: cfg.KuaishouPassportURL,
			Declaration: cfg.KuaishouDeclaration, Timeouts: kuaishou.Timeouts{Element: cfg.ElementTimeout}}),
		xiaohongshu.New(xiaohongshu.Config{BaseURL: cfg.XiaohongshuBaseURL, Declaration: cfg.XiaohongshuDeclaration,
			Timeouts: xiaohongshu.Timeouts{Element: cfg.ElementTimeout}}),
		channels.New(channels.Config{BaseURL: cfg.ChannelsBaseURL, Declaration: cfg.ChannelsDeclaration,
			Timeouts: channels.Timeouts{Element: cfg.ElementTimeout}}),
		tiktok.New(tiktok.Config{BaseURL: cfg.TikTokBaseURL, Declaration: cfg.TikTokDeclaration,
			Timeouts: tiktok.Timeouts{Element: cfg.ElementTimeout}}),
		bilibili.New(bilibili.Config{BaseURL: cfg.BilibiliBaseURL, PassportURL: cfg.BilibiliPassportURL, APIURL: cfg.BilibiliAPIURL}),
		youtube.New(youtube.Config{BaseURL: cfg.YouTubeBaseURL, Timeouts: youtube.Timeouts{Element: cfg.ElementTimeout}}),
		baijiahao.New(baijiahao.Config{BaseURL: cfg.BaijiahaoBaseURL, Declaration: cfg.BaijiahaoDeclaration,
			Timeouts: baijiahao.Timeouts{Element: cfg.ElementTimeout}}),
		weibo.New(weibo.Config{BaseURL: cfg.WeiboBaseURL, PassportURL: cfg.WeiboPassportURL,
			Declaration: cfg.WeiboDeclaration, Timeouts: weibo.Timeouts{Element: cfg.ElementTimeout}}),
	)
}

// serve wires the worker and runs it until ctx ends, then stops in order:
// no new tasks, running tasks finish or are handed back (asynq
// ShutdownTimeout), the browser, Redis, Postgres.
func serve(ctx context.Context, cfg Config, log *slog.Logger, ready chan<- struct{}) error {
	st, err := deps.Open(ctx, cfg.Common, cfg.DBTimeout)
	if err != nil {
		return err
	}
	defer st.Close()
	store, queue, files, redisOpt := st.Store, st.Queue, st.Files, st.Redis
	br := newBrowserPool(browser.Config{ExecPath: cfg.ChromePath}, log)
	if err := br.start(ctx); err != nil {
		return err
	}
	defer br.close()

	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, queue, log)
		if err != nil {
			return err
		}
		defer stopMetrics()
	}
	reg := drivers(cfg)
	queues := map[string]int{task.InteractiveQueue: 6}
	for _, p := range reg.Names() {
		if cfg.Queues == "" || strings.Contains(","+cfg.Queues+",", ","+string(p)+",") {
			queues[string(p)] = 3
		}
	}
	host, _ := os.Hostname()
	workerID := fmt.Sprintf("%s-%d-%s", host, os.Getpid(), uuid.NewString()[:8])
	events := webhook.NewEmitter(store, redisOpt, log.With("component", "webhooks"))
	defer events.Close()
	h := taskhandler.New(store, br, reg, files, log, taskhandler.Config{
		Events:   events,
		WorkerID: workerID, HeartbeatInterval: cfg.Heartbeat, StaleAfter: cfg.StaleAfter,
		ArtifactsDir: filepath.Join(cfg.DataDir, "artifacts"), AllowPrivateProxy: cfg.AllowPrivateProxy,
		VerificationTimeout: cfg.VerificationTimeout, Doorbell: queue,
	})
	mux := asynq.NewServeMux()
	h.Register(mux)
	webhook.NewSender(store, cfg.AllowPrivateWebhooks, log.With("component", "webhooks")).Register(mux)
	queues[webhook.Queue] = 2
	stopLive := startLive(ctx, cfg, store, redisOpt, mux, queues, workerID, events, log)
	defer stopLive()
	slots := task.NewSlots(cfg.Concurrency)
	retryDelay := taskhandler.RetryDelay(cfg.RetryBase, cfg.BusyRetry)
	srv := asynq.NewServer(redisOpt, asynq.Config{
		Concurrency:              max(cfg.Concurrency, 1),
		Queues:                   queues,
		TaskCheckInterval:        cfg.PollInterval,
		DelayedTaskCheckInterval: max(cfg.PollInterval, cfg.PollInterval*4),
		ShutdownTimeout:          cfg.ShutdownTimeout,
		IsFailure:                taskhandler.IsFailure,
		RetryDelayFunc:           retryDelay,
		Logger:                   task.Logger{Log: log.With("component", "asynq")},
		LogLevel:                 asynq.WarnLevel,
	})
	if err := srv.Start(slots.Gate(mux)); err != nil {
		return fmt.Errorf("worker: start asynq: %w", err)
	}
	expressCtx, stopExpress := context.WithCancel(context.WithoutCancel(ctx))
	expressDone := make(chan struct{})
	go func() {
		defer close(expressDone)
		served := map[string]bool{}
		for q := range queues {
			served[q] = true
		}
		(&task.Express{Queue: queue, Queues: served, Handler: mux, Slots: slots, RetryDelay: retryDelay,
			ShutdownTimeout: cfg.ShutdownTimeout, Log: log.With("component", "express")}).Run(expressCtx)
	}()
	sweepCtx, stopSweep := context.WithCancel(context.WithoutCancel(ctx))
	sweepDone := make(chan struct{})
	go func() {
		defer close(sweepDone)
		(&taskhandler.Sweeper{Store: store, Queue: queue, Log: log.With("component", "sweeper"),
			Interval: cfg.SweepInterval, QueuedAge: cfg.QueuedAge, StaleAfter: cfg.StaleAfter,
			Files: &taskhandler.FilePurge{Purge: store.PurgeDeletedFiles, Remove: files.Remove}}).Run(sweepCtx)
	}()
	healthDone := make(chan struct{})
	go func() {
		defer close(healthDone)
		(&taskhandler.HealthChecks{Every: cfg.HealthInterval, Log: log.With("component", "health"), Enqueue: queue.Enqueue,
			Queue: func(ctx context.Context) ([]job.Task, error) {
				return store.QueueHealthChecks(ctx, cfg.HealthInterval, cfg.HealthMax, task.Policies[job.KindCheck].MaxAttempts)
			}}).Run(sweepCtx)
	}()
	log.Info("worker started", "worker_id", workerID, "queues", queues, "concurrency", cfg.Concurrency)
	if ready != nil {
		close(ready)
	}
	<-ctx.Done()
	log.Info("worker shutting down")
	stopExpress()
	stopSweep()
	<-sweepDone
	<-healthDone
	srv.Shutdown()
	<-expressDone
	return nil
}

// serveMetrics serves /metrics on addr until the returned func is called:
// the worker's own families (tasks, steps, attempts, busy slots, browser
// contexts, Chromium processes, keep-alive failures) and the queues'.
func serveMetrics(addr string, queue *task.Queue, log *slog.Logger) (stop func(), err error) {
	if err := metrics.Register(metrics.Sources{Queues: queue.Stats, Log: log}); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if err := metrics.RegisterChromium(); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("metrics listening", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}
