// Package taskhandler runs Fanout's tasks inside the worker: it claims a task
// in Postgres (so a duplicate delivery does nothing), keeps a heartbeat,
// drives the platform driver in an isolated browser context with the
// account's cookies, records every step, and settles the task: succeeded,
// failed with a code, canceled, or released for a retry. After a publish
// reached "submitted" a retry looks on the platform instead of posting again.
package taskhandler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/browser"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/netguard"
	"fanout/pkg/platform"
	"fanout/pkg/postgres"
	"fanout/pkg/task"
	"fanout/pkg/web"
)

// Store is what the handler needs from Postgres.
type Store interface {
	Claim(ctx context.Context, id, worker string, staleAfter time.Duration) (job.Task, postgres.ClaimOutcome, error)
	Heartbeat(ctx context.Context, id, worker string) (bool, error)
	SetStep(ctx context.Context, id, worker, step string, progress int, message string) error
	SetResult(ctx context.Context, id, worker string, result any, message string) error
	Finish(ctx context.Context, id, worker string, state job.State, result any, terr *job.TaskError) error
	Release(ctx context.Context, id, worker string, terr *job.TaskError, refund bool) error
	GetAccount(ctx context.Context, id string) (job.Account, error)
	AccountSecrets(ctx context.Context, id string) ([]web.Cookie, string, error)
	SaveCookies(ctx context.Context, id string, cookies []web.Cookie, status job.AccountStatus, login bool) error
	SetAccountStatus(ctx context.Context, id string, status job.AccountStatus) error
	AccountProfile(ctx context.Context, id string) (web.Profile, error)
	TakeInput(ctx context.Context, id, worker string) (platform.Answer, bool, error)
	TaskFile(ctx context.Context, id string) (job.File, error)
	NextQueued(ctx context.Context, accountID string) (job.Task, bool, error)
	GetTask(ctx context.Context, id string) (job.Task, error)
}

// Emitter tells webhooks about an event (*webhook.Emitter).
type Emitter interface {
	Emit(ctx context.Context, event string, data any)
}

// emit tells webhooks about event, when there is an emitter.
func (h *Handler) emit(ctx context.Context, event string, data any) {
	if h.cfg.Events != nil {
		h.cfg.Events.Emit(ctx, event, data)
	}
}

// expired marks the account expired and tells webhooks.
func (h *Handler) expired(ctx context.Context, accountID string) error {
	if err := h.store.SetAccountStatus(ctx, accountID, job.AccountExpired); err != nil {
		return err
	}
	h.emit(ctx, job.EventAccountExpired, map[string]string{"account_id": accountID})
	return nil
}

// Doorbell rings the queue for a task (*task.Queue).
type Doorbell interface {
	Enqueue(ctx context.Context, t job.Task) error
}

// Sessions opens isolated browser contexts (a *browser.Browser, or a pool
// that restarts a crashed one).
type Sessions interface {
	NewSession(ctx context.Context, opt browser.SessionOptions) (context.Context, context.CancelFunc, error)
}

// Config tunes the handler. Zero values take the defaults noted.
type Config struct {
	// WorkerID names this process in claims; unique per process.
	WorkerID string
	// HeartbeatInterval is how often a running task proves it is alive and
	// looks for a cancel request (default 5s).
	HeartbeatInterval time.Duration
	// StaleAfter is how old a heartbeat must be before another worker may
	// take the task over (default 45s). A worker that cannot heartbeat for
	// half of it stops its own run, so two workers never drive one task.
	StaleAfter time.Duration
	// ArtifactsDir keeps a screenshot and the HTML of failed browser steps.
	ArtifactsDir string
	// AllowPrivateProxy lets an account's proxy point at loopback,
	// link-local and private addresses.
	AllowPrivateProxy bool
	// Events tells webhooks what happened (a task finished, a task waits
	// for a person, an account expired); nil tells nobody.
	Events Emitter
	// Doorbell hands an account to its next waiting task the moment the
	// running one ends; nil leaves that to the sweeper.
	Doorbell Doorbell
	// VerificationTimeout bounds the wait for a person's answer to a
	// verification the site asks for (default 10m); InputPoll is how often
	// the wait looks for it (default 500ms).
	VerificationTimeout, InputPoll time.Duration
}

// ErrAccountBusy means another task of the account is running. It is not a
// failure: the message comes back after a short delay without using an
// attempt (see IsFailure and RetryDelay).
var ErrAccountBusy = errors.New("taskhandler: account busy")

// The causes a run is stopped with.
var (
	errCanceled  = errors.New("taskhandler: canceled by user")
	errLostClaim = errors.New("taskhandler: claim lost")
	errFenced    = errors.New("taskhandler: heartbeat failing; stopped to avoid a double run")
	errShutdown  = errors.New("taskhandler: interrupted by worker shutdown")
)

// Handler runs tasks.
type Handler struct {
	store    Store
	sessions Sessions
	drivers  *platform.Registry
	files    *filestore.Store
	log      *slog.Logger
	cfg      Config
	warm     warm
}

// New builds a Handler.
func New(store Store, sessions Sessions, drivers *platform.Registry, files *filestore.Store, log *slog.Logger, cfg Config) *Handler {
	if cfg.HeartbeatInterval <= 0 {
		cfg.HeartbeatInterval = 5 * time.Second
	}
	if cfg.StaleAfter <= 0 {
		cfg.StaleAfter = 45 * time.Second
	}
	if cfg.WorkerID == "" {
		cfg.WorkerID = "worker"
	}
	if cfg.VerificationTimeout <= 0 {
		cfg.VerificationTimeout = 10 * time.Minute
	}
	if cfg.InputPoll <= 0 {
		cfg.InputPoll = 500 * time.Millisecond
	}
	return &Handler{store: store, sessions: sessions, drivers: drivers, files: files, log: log, cfg: cfg}
}

// Register routes every kind of every registered platform to the handler.
// Exact type names keep unknown types on asynq's not-found path.
func (h *Handler) Register(mux *asynq.ServeMux) {
	for _, p := range h.drivers.Names() {
		for _, k := range []job.Kind{job.KindPublish, job.KindLogin, job.KindCheck} {
			mux.HandleFunc(task.TypeName(k, p), h.Handle)
		}
	}
}

// Handle is the asynq handler for every task type.
func (h *Handler) Handle(ctx context.Context, at *asynq.Task) error {
	p, err := task.Parse(at)
	if err != nil {
		return err
	}
	log := h.log.With("task_id", p.TaskID, "task_type", at.Type())
	t, outcome, err := h.store.Claim(ctx, p.TaskID, h.cfg.WorkerID, h.cfg.StaleAfter)
	switch {
	case job.ErrorCode(err) == job.ENotFound:
		log.Warn("task not in postgres; dropping message")
		return fmt.Errorf("taskhandler: task %s: %w", p.TaskID, asynq.SkipRetry)
	case err != nil:
		return err // Postgres trouble: the message is retried later
	case outcome == postgres.Skip:
		log.Info("duplicate delivery or finished task; nothing to do")
		return nil
	case outcome == postgres.AccountBusy:
		// Parked: the account's running task hands over when it ends.
		log.Debug("account busy; parked until its turn")
		return nil
	}
	log = log.With("platform", t.Platform, "account_id", t.AccountID, "attempt", t.Attempts)
	// Past the last attempt only a verification (after submitted) may run.
	if t.Attempts > t.MaxAttempts && t.Step != string(platform.StepSubmitted) {
		terr := &job.TaskError{Code: job.CodeRetriesExhausted, Message: fmt.Sprintf("no attempts left after %d", t.MaxAttempts), Step: t.Step}
		return h.finishFailed(ctx, log, t, terr, errors.New(terr.Message))
	}
	log.Info("task started")
	metrics.Attempts.WithLabelValues(string(t.Kind), string(t.Platform)).Inc()
	metrics.BusySlots.Inc()
	defer metrics.BusySlots.Dec()
	r := newRun(t)
	// The run does not inherit asynq's cancellation: asynq cancels ctx both
	// on a shutdown and when the API cancels the task, and the two end the
	// run differently (see interrupted). It keeps ctx's deadline.
	base := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		var cancelDL context.CancelFunc
		base, cancelDL = context.WithDeadline(base, dl)
		defer cancelDL()
	}
	runCtx, cancel := context.WithCancelCause(base)
	defer cancel(nil)
	r.cancel = cancel
	hbDone := make(chan struct{})
	go func() { defer close(hbDone); h.heartbeat(runCtx, r, t.ID, log) }()
	stopWatch := context.AfterFunc(ctx, func() { h.interrupted(r, t.ID, log) })
	result, runErr := h.execute(runCtx, log, t, r)
	stopWatch()
	cause := context.Cause(runCtx)
	cancel(nil)
	<-hbDone
	err = h.settle(ctx, log, t, r, result, runErr, cause)
	if !errors.Is(cause, errLostClaim) {
		h.handOff(ctx, t.AccountID, log)
	}
	return err
}

// handOff rings the queue for the account's next waiting task, so it starts
// the moment this one ends instead of after a retry delay. A worker that
// dies before this leaves the task to the sweeper.
func (h *Handler) handOff(ctx context.Context, accountID string, log *slog.Logger) {
	if h.cfg.Doorbell == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	next, ok, err := h.store.NextQueued(ctx, accountID)
	if err == nil && ok {
		err = h.cfg.Doorbell.Enqueue(ctx, next)
	}
	if err != nil {
		log.Warn("hand the account to its next task; the sweeper will", "err", err)
	}
}

// interrupted runs when asynq cancels the handler's ctx: on a worker
// shutdown, or because the API asked asynq to stop a canceled task. Postgres
// says which: a user's cancel stops the run at its next safe point, a
// shutdown hands the task back.
func (h *Handler) interrupted(r *run, id string, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	canceled, err := h.store.Heartbeat(ctx, id, h.cfg.WorkerID)
	switch {
	case errors.Is(err, postgres.ErrLostClaim):
		r.cancel(errLostClaim)
	case err == nil && canceled:
		log.Info("cancel requested")
		r.userCancel()
	default:
		r.cancel(errShutdown)
	}
}

// heartbeat keeps the claim fresh and ends the run when the user canceled,
// another worker took over, or Postgres has been unreachable for half of
// StaleAfter (after which another worker may start the task).
func (h *Handler) heartbeat(ctx context.Context, r *run, id string, log *slog.Logger) {
	tick := time.NewTicker(h.cfg.HeartbeatInterval)
	defer tick.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		// A slow answer is not a dead worker: allow a generous bound per beat.
		hctx, hcancel := context.WithTimeout(ctx, max(h.cfg.HeartbeatInterval, h.cfg.StaleAfter/4))
		canceled, err := h.store.Heartbeat(hctx, id, h.cfg.WorkerID)
		hcancel()
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, postgres.ErrLostClaim):
			r.cancel(errLostClaim)
			return
		case err != nil:
			log.Warn("heartbeat failed", "err", err)
			if time.Since(lastOK) > h.cfg.StaleAfter/2 {
				r.cancel(errFenced)
				return
			}
		default:
			lastOK = time.Now()
			if canceled && r.userCancel() {
				return
			}
		}
	}
}

// session opens the task's browser context, presenting the account's
// profile (for a browserless driver: its HTTP session, httpSession). An account proxy that now resolves to the server's own network
// is refused (the browser would connect there), unless the operator allows
// it.
func (h *Handler) session(ctx context.Context, t job.Task, opt browser.SessionOptions) (context.Context, context.CancelFunc, error) {
	if opt.Proxy != "" && !h.cfg.AllowPrivateProxy {
		u, err := url.Parse(opt.Proxy)
		if err != nil || errors.Is(netguard.CheckHost(ctx, u.Hostname()), netguard.ErrPrivate) {
			return nil, nil, permanent(job.CodeInvalidRequest, errors.New("the account's proxy points at a loopback, link-local or private address"))
		}
	}
	if h.browserless(t) {
		return h.httpSession(ctx, t, opt)
	}
	prof, err := h.store.AccountProfile(ctx, t.AccountID)
	if err != nil {
		return nil, nil, err
	}
	opt.Profile = prof
	tab, closeTab, err := h.sessions.NewSession(ctx, opt)
	if err != nil {
		return nil, nil, err
	}
	metrics.BrowserContexts.Inc()
	var once sync.Once
	return tab, func() { once.Do(func() { metrics.BrowserContexts.Dec(); closeTab() }) }, nil
}

// execute runs the task's kind.
func (h *Handler) execute(ctx context.Context, log *slog.Logger, t job.Task, r *run) (any, error) {
	d, err := h.drivers.Driver(t.Platform)
	if err != nil {
		return nil, permanent(job.CodeInvalidRequest, err)
	}
	switch t.Kind {
	case job.KindPublish:
		return h.publish(ctx, log, d, t, r)
	case job.KindLogin:
		return h.login(ctx, log, d, t, r)
	case job.KindCheck:
		return h.check(ctx, log, d, t)
	}
	return nil, permanent(job.CodeInvalidRequest, fmt.Errorf("unknown kind %q", t.Kind))
}
