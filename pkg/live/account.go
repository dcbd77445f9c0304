package live

// A douyin account's settings kept beside its rooms: the live schedule, the
// proxy, and the companion QR login that makes a 抖音号 usable.

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/netguard"
	"fanout/pkg/platform"
)

// Schedule returns the account's schedule.
func (s *Service) Schedule(ctx context.Context, douyinID string) (Schedule, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return Schedule{}, err
	}
	return s.store.LiveSchedule(ctx, a.DouyinID)
}

// SetSchedule validates and stores a schedule and replaces its jobs: the
// previous version's queued jobs are deleted and the enabled actions are
// queued for their times. A job that cannot be queued now is queued by the
// worker's reconciler; the schedule is already safe in Postgres.
func (s *Service) SetSchedule(ctx context.Context, in Schedule) error {
	a, err := s.account(ctx, in.DouyinID)
	if err != nil {
		return err
	}
	in.DouyinID = a.DouyinID
	now := s.now()
	limit := now.Add(366 * 24 * time.Hour)
	if in.StartEnabled && (in.StartAt == nil || !in.StartAt.After(now) || in.StartAt.After(limit)) {
		return ErrBadStartTime
	}
	if in.StopEnabled && (in.StopAt == nil || !in.StopAt.After(now) || in.StopAt.After(limit)) {
		return ErrBadStopTime
	}
	if in.StartEnabled && in.StopEnabled && !in.StopAt.After(*in.StartAt) {
		return ErrStopBeforeStart
	}
	prev, next, err := s.store.PutLiveSchedule(ctx, in)
	if err != nil {
		return err
	}
	if err := s.jobs.cancel(prev); err != nil {
		s.log.Warn("could not delete the previous schedule jobs; they will find the schedule changed", "douyin_id", a.DouyinID, "err", err)
	}
	if err := s.jobs.schedule(ctx, next, now); err != nil {
		s.log.Warn("could not queue the schedule jobs; the worker's reconciler will", "douyin_id", a.DouyinID, "err", err)
	}
	return nil
}

// Proxy returns the account's proxy as shown to clients ("" when none).
func (s *Service) Proxy(ctx context.Context, douyinID string) (string, error) {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return "", err
	}
	_, proxy, err := s.store.LiveSession(ctx, a.DouyinID)
	if err != nil || proxy == "" {
		return "", err
	}
	return DisplayProxy(proxy), nil
}

// SetProxy validates and stores the account's proxy; nil or "" clears it.
// It applies to the Douyin HTTP client and to the account's browser jobs.
func (s *Service) SetProxy(ctx context.Context, douyinID string, proxy *string) error {
	a, err := s.account(ctx, douyinID)
	if err != nil {
		return err
	}
	stored := ""
	if proxy != nil && strings.TrimSpace(*proxy) != "" {
		if stored, err = ParseProxy(*proxy); err != nil {
			return err
		}
		if !s.cfg.AllowPrivateProxy {
			u, _ := url.Parse(stored)
			if errors.Is(netguard.CheckHost(ctx, u.Hostname()), netguard.ErrPrivate) {
				return ErrPrivateProxy
			}
		}
	}
	return s.store.SetLiveProxy(ctx, a.DouyinID, stored)
}

// StartLogin queues a companion QR login. accountID (optional) is the
// Fanout douyin account the login belongs to; without it the 抖音号 gets an
// account of its own.
func (s *Service) StartLogin(ctx context.Context, accountID string) (Login, error) {
	if accountID != "" {
		if _, err := uuid.Parse(accountID); err != nil {
			return Login{}, ErrNotDouyinAcct
		}
		acc, err := s.store.GetAccount(ctx, accountID)
		if job.ErrorCode(err) == job.ENotFound || (err == nil && acc.Platform != platform.Douyin) {
			return Login{}, ErrNotDouyinAcct
		}
		if err != nil {
			return Login{}, err
		}
	}
	l, err := s.store.CreateLiveLogin(ctx, uuid.NewString(), accountID)
	if err != nil {
		return Login{}, err
	}
	if err := s.jobs.login(ctx, l.ID); err != nil {
		return Login{}, err
	}
	return l, nil
}

// Login returns a login's phase and QR code.
func (s *Service) Login(ctx context.Context, id string) (Login, error) {
	if _, err := uuid.Parse(strings.TrimSpace(id)); err != nil {
		return Login{}, ErrUnknownLogin
	}
	return s.store.LiveLogin(ctx, strings.TrimSpace(id))
}
