package live

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/live/webcast"
	"fanout/pkg/metrics"
)

// Worker is the live assistant inside a worker process: the schedule and
// login job handlers, the keep-alive loop of open rooms, and the reconciler
// that queues schedule jobs Redis lost or never got.
type Worker struct {
	svc *Service
	id  string
	log *slog.Logger
	// ReconcileEvery is the reconciler's period (default 30s).
	ReconcileEvery time.Duration
	// MissedGrace is how late a schedule action may still run after its
	// time was missed (all workers down); older ones are dropped (10m).
	MissedGrace time.Duration
}

// NewWorker returns the worker side of svc; workerID names this process in
// the rooms it pings.
func NewWorker(svc *Service, workerID string) *Worker {
	return &Worker{svc: svc, id: workerID, log: svc.log,
		ReconcileEvery: 30 * time.Second, MissedGrace: 10 * time.Minute}
}

// Register routes the live job types to the worker.
func (w *Worker) Register(mux *asynq.ServeMux) {
	mux.HandleFunc(TypeSchedule, w.HandleSchedule)
	mux.HandleFunc(TypeLogin, w.HandleLogin)
}

// Run keeps open rooms alive and reconciles schedule jobs until ctx ends.
// Every worker runs it; Postgres decides who pings what.
func (w *Worker) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); w.keepAlive(ctx) }()
	go func() { defer wg.Done(); w.reconcileLoop(ctx) }()
	wg.Wait()
}

// keepAlive claims due pings and sends them. On start it picks up every
// room that is live in Postgres, so rooms outlive worker restarts.
func (w *Worker) keepAlive(ctx context.Context) {
	iv := w.svc.cfg.PingInterval
	poll := min(max(iv/5, 20*time.Millisecond), time.Second)
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		rooms, err := w.svc.store.ClaimDuePings(ctx, w.id, iv, 50)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("claim due pings", "err", err)
		}
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		for _, r := range rooms {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				w.ping(ctx, r)
			}()
		}
		wg.Wait()
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (w *Worker) ping(ctx context.Context, r Room) {
	log := w.log.With("douyin_id", r.DouyinID, "room_id", r.RoomID)
	pctx, cancel := context.WithTimeout(ctx, max(w.svc.cfg.PingInterval, 5*time.Second))
	defer cancel()
	conn, err := w.svc.conn(pctx, r.DouyinID)
	if err == nil {
		err = conn.Ping(pctx, r.RoomID, r.StreamID)
	}
	if ctx.Err() != nil {
		return // shutting down: the next worker takes the next slot
	}
	if errors.Is(err, webcast.ErrRoomEnded) {
		if err := w.svc.finishRoom(ctx, r, "ended on Douyin"); err != nil {
			log.Warn("finish an ended room", "err", err)
		}
		return
	}
	n, rerr := w.svc.store.RecordLivePing(ctx, r.ID, err == nil)
	if rerr != nil {
		log.Warn("record ping", "err", rerr)
	}
	if err == nil {
		log.Debug("keep-alive ping sent")
		return
	}
	metrics.KeepAliveFailures.Inc()
	log.Warn("keep-alive ping failed", "failures", n, "err", err)
	if n >= w.svc.cfg.MaxPingFailures {
		if err := w.svc.closeRoom(ctx, r, "keep-alive failed"); err != nil {
			log.Warn("close after failed keep-alives", "err", err)
			_ = w.svc.finishRoom(ctx, r, "keep-alive failed")
		}
	}
}

func (w *Worker) reconcileLoop(ctx context.Context) {
	every := w.ReconcileEvery
	if every <= 0 {
		every = 30 * time.Second
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := w.Reconcile(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("reconcile schedule jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Reconcile queues every enabled schedule action Redis does not hold (the
// task IDs are deterministic, so a job that is there is left alone) and
// drops actions missed by more than MissedGrace.
func (w *Worker) Reconcile(ctx context.Context) error {
	scs, err := w.svc.store.PendingLiveSchedules(ctx)
	if err != nil {
		return err
	}
	now := w.svc.now()
	var errs []error
	for _, sc := range scs {
		for action, at := range actions(sc) {
			if at.Before(now.Add(-w.MissedGrace)) {
				w.log.Warn("schedule action missed; dropping it", "douyin_id", sc.DouyinID, "action", action, "at", at)
				_, err := w.svc.store.FinishLiveSchedule(ctx, sc.DouyinID, action, sc.Version, "missed: no worker ran at the time")
				errs = append(errs, err)
				if action == ActionStart {
					sc.StartEnabled = false
				} else {
					sc.StopEnabled = false
				}
			}
		}
		errs = append(errs, w.svc.jobs.schedule(ctx, sc, now))
	}
	return errors.Join(errs...)
}

// HandleSchedule runs a start or stop when its schedule version is still
// the current one and the action still enabled for that time; otherwise the
// schedule changed after the job was queued and it does nothing.
func (w *Worker) HandleSchedule(ctx context.Context, t *asynq.Task) error {
	var p schedulePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.V != 1 || p.DouyinID == "" {
		return fmt.Errorf("live: bad schedule payload: %w", asynq.SkipRetry)
	}
	log := w.log.With("douyin_id", p.DouyinID, "action", p.Action, "version", p.Version)
	sc, err := w.svc.store.LiveSchedule(ctx, p.DouyinID)
	if err != nil {
		return err
	}
	at, enabled := actions(sc)[p.Action]
	if sc.Version != p.Version || !enabled || at.Unix() != p.At {
		log.Info("schedule changed since this job was queued; nothing to do")
		return nil
	}
	switch p.Action {
	case ActionStart:
		err = w.autoStart(ctx, p.DouyinID)
	case ActionStop:
		err = w.autoStop(ctx, p.DouyinID)
	default:
		return fmt.Errorf("live: unknown schedule action %q: %w", p.Action, asynq.SkipRetry)
	}
	if err != nil {
		retried, _ := asynq.GetRetryCount(ctx)
		maxRetry, _ := asynq.GetMaxRetry(ctx)
		if retried < maxRetry {
			log.Warn("scheduled action failed; retrying", "err", err)
			return err
		}
		log.Error("scheduled action failed", "err", err)
		if _, ferr := w.svc.store.FinishLiveSchedule(ctx, p.DouyinID, p.Action, p.Version, err.Error()); ferr != nil {
			log.Warn("record schedule failure", "err", ferr)
		}
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	if _, err := w.svc.store.FinishLiveSchedule(ctx, p.DouyinID, p.Action, p.Version, ""); err != nil {
		return err
	}
	log.Info("scheduled action done")
	return nil
}

// autoStart opens a room with the last title and cover (or create-info's
// defaults); an account that is live already is left as it is.
func (w *Worker) autoStart(ctx context.Context, douyinID string) error {
	a, err := w.svc.store.LiveAccount(ctx, douyinID)
	if err != nil {
		return err
	}
	_, err = w.svc.open(ctx, douyinID, a.LastTitle, a.LastCoverURI)
	return err
}

func (w *Worker) autoStop(ctx context.Context, douyinID string) error {
	room, ok, err := w.svc.store.LiveRoom(ctx, douyinID)
	if err != nil || !ok {
		return err
	}
	return w.svc.closeRoom(ctx, room, "scheduled stop")
}

// HandleLogin runs a companion QR login: it shows a QR code, follows its
// phases and, once the phone confirms, learns the 抖音号 from user/me and
// stores the session sealed.
func (w *Worker) HandleLogin(ctx context.Context, t *asynq.Task) error {
	var p loginPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.V != 1 || p.LoginID == "" {
		return fmt.Errorf("live: bad login payload: %w", asynq.SkipRetry)
	}
	l, err := w.svc.store.LiveLogin(ctx, p.LoginID)
	if err != nil {
		return fmt.Errorf("live: login %s: %w: %w", p.LoginID, err, asynq.SkipRetry)
	}
	if l.Terminal() {
		return nil
	}
	log := w.log.With("login_id", l.ID)
	lctx, cancel := context.WithTimeout(ctx, w.svc.cfg.LoginTimeout)
	defer cancel()
	state, err := w.login(lctx, log, &l)
	if err != nil && state != LoginExpired {
		log.Warn("companion login failed", "err", err)
		l.State, l.Message = LoginFailed, err.Error()
	} else {
		l.State = state
		if state == LoginExpired {
			l.Message = "二维码已过期,请重新发起登录"
		}
	}
	if err := w.svc.store.UpdateLiveLogin(context.WithoutCancel(ctx), l); err != nil {
		return err
	}
	log.Info("companion login ended", "state", l.State, "douyin_id", l.DouyinID)
	return nil
}

func (w *Worker) login(ctx context.Context, log *slog.Logger, l *Login) (LoginState, error) {
	proxy := ""
	if l.AccountID != "" {
		_, p, err := w.svc.store.AccountSecrets(ctx, l.AccountID)
		if err != nil {
			return LoginFailed, err
		}
		proxy = p
	}
	dev := webcast.NewDevice()
	conn, err := w.svc.wc.Conn(&dev, proxy)
	if err != nil {
		return LoginFailed, err
	}
	qr, err := conn.GetQRCode(ctx)
	if err != nil {
		return LoginFailed, err
	}
	if _, err := base64.StdEncoding.DecodeString(qr.PNGB64); err != nil {
		return LoginFailed, fmt.Errorf("live: the QR code is not base64: %w", err)
	}
	l.State, l.QRCode = LoginQRCode, "data:image/png;base64,"+qr.PNGB64
	if err := w.svc.store.UpdateLiveLogin(ctx, *l); err != nil {
		return LoginFailed, err
	}
	log.Info("companion login: QR code shown")
	tick := time.NewTicker(w.svc.cfg.QRPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return LoginExpired, ctx.Err()
		case <-tick.C:
		}
		st, cookies, err := conn.CheckQR(ctx, qr.Token)
		switch {
		case err != nil && (webcast.IsTransient(err) || ctx.Err() == nil && isNetErr(err)):
			log.Debug("QR poll: try again", "err", err)
			continue
		case err != nil:
			return LoginFailed, err
		}
		switch st {
		case webcast.QRScanned:
			if l.State != LoginScanned {
				l.State = LoginScanned
				if err := w.svc.store.UpdateLiveLogin(ctx, *l); err != nil {
					return LoginFailed, err
				}
			}
		case webcast.QRConfirmed:
			dev.Cookies = cookies
			me, err := w.svc.wc.Conn(&dev, proxy)
			if err != nil {
				return LoginFailed, err
			}
			u, err := me.Me(ctx)
			if err != nil {
				return LoginFailed, err
			}
			a, err := w.svc.store.LinkLiveAccount(ctx, l.AccountID, u, dev)
			if err != nil {
				return LoginFailed, err
			}
			l.DouyinID, l.AccountID, l.QRCode = a.DouyinID, a.AccountID, ""
			return LoginSucceeded, nil
		case webcast.QRRefused, webcast.QRExpired:
			return LoginExpired, nil
		}
	}
}

// isNetErr reports a transport error (not an answer), worth polling again.
func isNetErr(err error) bool {
	var ae *webcast.APIError
	var pe *webcast.PassportError
	return !errors.As(err, &ae) && !errors.As(err, &pe) && !errors.Is(err, webcast.ErrLoginRequired)
}
