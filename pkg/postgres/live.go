package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/live"
	"fanout/pkg/live/webcast"
	"fanout/pkg/platform"
)

// The live assistant's tables (migration 00002). Secrets are sealed here:
// the companion session with 'live:'||douyin_id, a room's Douyin push URL
// with 'live-room:'||id, the proxy (in accounts) with the account id.

const liveAccountCols = `douyin_id, account_id, uid, sec_uid, nickname, signature, last_title, last_cover_uri, session_enc IS NOT NULL`

func scanLiveAccount(row pgx.Row) (live.Account, error) {
	var a live.Account
	err := row.Scan(&a.DouyinID, &a.AccountID, &a.UID, &a.SecUID, &a.Nickname, &a.Signature, &a.LastTitle, &a.LastCoverURI, &a.HasSession)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, live.ErrNoAccount
	}
	return a, err
}

// LiveAccount returns the live identity of a 抖音号, or live.ErrNoAccount.
func (s *Store) LiveAccount(ctx context.Context, douyinID string) (live.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := scanLiveAccount(s.pool.QueryRow(ctx, `SELECT `+liveAccountCols+` FROM live_accounts WHERE douyin_id = $1`, douyinID))
	if errors.Is(err, live.ErrNoAccount) {
		return a, err
	}
	return a, wrap("live account", err)
}

// LiveSession returns the 抖音号's companion session (nil when it has none)
// and its account's proxy URL, in plain form, for the webcast client only.
func (s *Store) LiveSession(ctx context.Context, douyinID string) (*webcast.Session, string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var accountID string
	var sessEnc, proxyEnc []byte
	err := s.pool.QueryRow(ctx, `SELECT l.account_id, l.session_enc, a.proxy_enc FROM live_accounts l
		JOIN accounts a ON a.id = l.account_id WHERE l.douyin_id = $1`, douyinID).Scan(&accountID, &sessEnc, &proxyEnc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", live.ErrNoAccount
	}
	if err != nil {
		return nil, "", wrap("live session", err)
	}
	var sess *webcast.Session
	if sessEnc != nil {
		plain, err := s.box.Open(sessEnc, []byte("live:"+douyinID))
		if err != nil {
			return nil, "", fmt.Errorf("postgres: live session: %w", err)
		}
		sess = new(webcast.Session)
		if err := json.Unmarshal(plain, sess); err != nil {
			return nil, "", fmt.Errorf("postgres: live session: %w", err)
		}
	}
	var proxy string
	if proxyEnc != nil {
		plain, err := s.box.Open(proxyEnc, []byte(accountID))
		if err != nil {
			return nil, "", fmt.Errorf("postgres: account proxy: %w", err)
		}
		proxy = string(plain)
	}
	return sess, proxy, nil
}

// LinkLiveAccount records a successful companion login of user u: it links
// the 抖音号 to accountID (or, when empty, to the account it was linked to
// before, or to a new douyin account named "live-<抖音号>") and stores the
// session sealed.
func (s *Store) LinkLiveAccount(ctx context.Context, accountID string, u webcast.User, sess webcast.Session) (live.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	plain, err := json.Marshal(sess)
	if err != nil {
		return live.Account{}, fmt.Errorf("postgres: link live account: %w", err)
	}
	sealed := s.box.Seal(plain, []byte("live:"+u.DouyinID))
	var out live.Account
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if accountID == "" {
			err := tx.QueryRow(ctx, `SELECT account_id FROM live_accounts WHERE douyin_id = $1`, u.DouyinID).Scan(&accountID)
			if errors.Is(err, pgx.ErrNoRows) {
				err = tx.QueryRow(ctx, `INSERT INTO accounts (id, platform, name, status) VALUES (gen_random_uuid(), $1, $2, 'new')
					ON CONFLICT (platform, name) DO UPDATE SET updated_at = now() RETURNING id`,
					platform.Douyin, "live-"+u.DouyinID).Scan(&accountID)
			}
			if err != nil {
				return err
			}
		}
		// One Fanout account is one Douyin login: drop a link to another 抖音号.
		if _, err := tx.Exec(ctx, `DELETE FROM live_accounts WHERE account_id = $1 AND douyin_id <> $2`, accountID, u.DouyinID); err != nil {
			return err
		}
		var err error
		out, err = scanLiveAccount(tx.QueryRow(ctx, `INSERT INTO live_accounts (douyin_id, account_id, uid, sec_uid, nickname, signature, session_enc)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (douyin_id) DO UPDATE SET account_id = $2, uid = $3, sec_uid = $4, nickname = $5, signature = $6,
				session_enc = $7, updated_at = now()
			RETURNING `+liveAccountCols, u.DouyinID, accountID, u.UID, u.SecUID, u.Nickname, u.Signature, sealed))
		return err
	})
	return out, wrap("link live account", err)
}

// SetLiveDefaults remembers the title and cover of the last room, for an
// automatic start.
func (s *Store) SetLiveDefaults(ctx context.Context, douyinID, title, coverURI string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `UPDATE live_accounts SET last_title = $2, last_cover_uri = $3, updated_at = now() WHERE douyin_id = $1`,
		douyinID, title, coverURI)
	return wrap("set live defaults", err)
}

// SetLiveProxy stores (or, when empty, clears) the proxy of the 抖音号's
// account, sealed like every account proxy.
func (s *Store) SetLiveProxy(ctx context.Context, douyinID, proxy string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := s.LiveAccount(ctx, douyinID)
	if err != nil {
		return err
	}
	_, err = s.UpdateAccount(ctx, a.AccountID, nil, &proxy)
	return err
}

const liveRoomCols = `id, douyin_id, room_id, stream_id, state, tencent_stream, tencent_task_id, title, cover_uri,
	opened_at, closed_at, close_reason, ping_failures, push_url_enc`

func (s *Store) scanLiveRoom(row pgx.Row) (live.Room, error) {
	var r live.Room
	var push []byte
	err := row.Scan(&r.ID, &r.DouyinID, &r.RoomID, &r.StreamID, &r.State, &r.TencentStream, &r.TencentTaskID, &r.Title,
		&r.CoverURI, &r.OpenedAt, &r.ClosedAt, &r.CloseReason, &r.PingFailures, &push)
	if err != nil {
		return r, err
	}
	if push != nil {
		plain, err := s.box.Open(push, []byte("live-room:"+r.ID))
		if err != nil {
			return r, fmt.Errorf("postgres: room push url: %w", err)
		}
		r.PushURL = string(plain)
	}
	return r, nil
}

// InsertLiveRoom records a room that was just opened (and pinged once); its
// next keep-alive is due after firstPing.
func (s *Store) InsertLiveRoom(ctx context.Context, r live.Room, firstPing time.Duration) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var push []byte
	if r.PushURL != "" {
		push = s.box.Seal([]byte(r.PushURL), []byte("live-room:"+r.ID))
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO live_rooms (id, douyin_id, room_id, stream_id, push_url_enc, tencent_stream,
		title, cover_uri, next_ping_at, last_ping_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9), now())`,
		r.ID, r.DouyinID, r.RoomID, r.StreamID, push, r.TencentStream, r.Title, r.CoverURI, firstPing.Seconds())
	if isUnique(err) {
		return live.ErrRoomExists
	}
	return wrap("insert live room", err)
}

// LiveRoom returns the 抖音号's live room, if any.
func (s *Store) LiveRoom(ctx context.Context, douyinID string) (live.Room, bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	r, err := s.scanLiveRoom(s.pool.QueryRow(ctx, `SELECT `+liveRoomCols+` FROM live_rooms WHERE douyin_id = $1 AND state = 'live'`, douyinID))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	return r, err == nil, wrap("live room", err)
}

// GetLiveRoom returns a room by its Fanout id.
func (s *Store) GetLiveRoom(ctx context.Context, id string) (live.Room, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	r, err := s.scanLiveRoom(s.pool.QueryRow(ctx, `SELECT `+liveRoomCols+` FROM live_rooms WHERE id = $1`, id))
	return r, wrap("get live room", notFound(err, "live room"))
}

// SetLiveRoomRelay records the Tencent relay task of a room.
func (s *Store) SetLiveRoomRelay(ctx context.Context, id, taskID string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `UPDATE live_rooms SET tencent_task_id = $2 WHERE id = $1`, id, taskID)
	return wrap("set live room relay", err)
}

// CloseLiveRoom marks a live room closed and reports whether this call did
// it (false: it was closed already).
func (s *Store) CloseLiveRoom(ctx context.Context, id, reason string) (bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `UPDATE live_rooms SET state = 'closed', closed_at = now(), close_reason = $2
		WHERE id = $1 AND state = 'live'`, id, reason)
	if err != nil {
		return false, wrap("close live room", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ClaimDuePings takes up to limit live rooms whose keep-alive is due and
// moves their next ping interval ahead, in one statement with SKIP LOCKED:
// the moved next_ping_at is this worker's lease on the ping, so concurrent
// workers never ping the same slot, and a worker that died leaves the room
// to the next claimer after one interval.
func (s *Store) ClaimDuePings(ctx context.Context, worker string, interval time.Duration, limit int) ([]live.Room, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `WITH due AS (
			SELECT id FROM live_rooms WHERE state = 'live' AND next_ping_at <= now()
			ORDER BY next_ping_at LIMIT $3 FOR UPDATE SKIP LOCKED)
		UPDATE live_rooms r SET next_ping_at = now() + make_interval(secs => $2), pinged_by = $1
		FROM due WHERE r.id = due.id
		RETURNING r.id, r.douyin_id, r.room_id, r.stream_id, r.state, r.tencent_stream, r.tencent_task_id, r.title, r.cover_uri,
			r.opened_at, r.closed_at, r.close_reason, r.ping_failures, r.push_url_enc`, worker, interval.Seconds(), limit)
	if err != nil {
		return nil, wrap("claim due pings", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (live.Room, error) { return s.scanLiveRoom(r) })
	return out, wrap("claim due pings", err)
}

// RecordLivePing records a keep-alive result and returns the number of
// failures in a row.
func (s *Store) RecordLivePing(ctx context.Context, id string, ok bool) (int, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var n int
	err := s.pool.QueryRow(ctx, `UPDATE live_rooms SET
		ping_failures = CASE WHEN $2 THEN 0 ELSE ping_failures + 1 END,
		last_ping_at = CASE WHEN $2 THEN now() ELSE last_ping_at END
		WHERE id = $1 RETURNING ping_failures`, id, ok).Scan(&n)
	return n, wrap("record live ping", err)
}

const liveScheduleCols = `douyin_id, start_enabled, start_at, stop_enabled, stop_at, version, last_error`

func scanLiveSchedule(row pgx.Row) (live.Schedule, error) {
	var sc live.Schedule
	err := row.Scan(&sc.DouyinID, &sc.StartEnabled, &sc.StartAt, &sc.StopEnabled, &sc.StopAt, &sc.Version, &sc.LastError)
	return sc, err
}

// LiveSchedule returns the 抖音号's schedule (all off when never set).
func (s *Store) LiveSchedule(ctx context.Context, douyinID string) (live.Schedule, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	sc, err := scanLiveSchedule(s.pool.QueryRow(ctx, `SELECT `+liveScheduleCols+` FROM live_schedules WHERE douyin_id = $1`, douyinID))
	if errors.Is(err, pgx.ErrNoRows) {
		return live.Schedule{DouyinID: douyinID}, nil
	}
	return sc, wrap("live schedule", err)
}

// PutLiveSchedule replaces the schedule with a new version and returns the
// previous one (whose jobs the caller removes) and the new one.
func (s *Store) PutLiveSchedule(ctx context.Context, sc live.Schedule) (prev, next live.Schedule, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		p, err := scanLiveSchedule(tx.QueryRow(ctx, `SELECT `+liveScheduleCols+` FROM live_schedules WHERE douyin_id = $1 FOR UPDATE`, sc.DouyinID))
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			prev = live.Schedule{DouyinID: sc.DouyinID}
		case err != nil:
			return err
		default:
			prev = p
		}
		next, err = scanLiveSchedule(tx.QueryRow(ctx, `INSERT INTO live_schedules (douyin_id, start_enabled, start_at, stop_enabled, stop_at, version)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (douyin_id) DO UPDATE SET start_enabled = $2, start_at = $3, stop_enabled = $4, stop_at = $5,
				version = $6, last_error = '', updated_at = now()
			RETURNING `+liveScheduleCols, sc.DouyinID, sc.StartEnabled, sc.StartAt, sc.StopEnabled, sc.StopAt, prev.Version+1))
		return err
	})
	return prev, next, wrap("put live schedule", err)
}

// FinishLiveSchedule turns a fired action ("start" or "stop") of schedule
// version off, recording errMsg (empty on success). It reports false when
// the schedule changed since (then nothing is written).
func (s *Store) FinishLiveSchedule(ctx context.Context, douyinID, action string, version int64, errMsg string) (bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	col := "start_enabled"
	if action == "stop" {
		col = "stop_enabled"
	}
	tag, err := s.pool.Exec(ctx, `UPDATE live_schedules SET `+col+` = false, last_error = $3, updated_at = now()
		WHERE douyin_id = $1 AND version = $2 AND `+col, douyinID, version, errMsg)
	if err != nil {
		return false, wrap("finish live schedule", err)
	}
	return tag.RowsAffected() == 1, nil
}

// PendingLiveSchedules lists every schedule with an enabled action.
func (s *Store) PendingLiveSchedules(ctx context.Context) ([]live.Schedule, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+liveScheduleCols+` FROM live_schedules WHERE start_enabled OR stop_enabled`)
	if err != nil {
		return nil, wrap("pending live schedules", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (live.Schedule, error) { return scanLiveSchedule(r) })
	return out, wrap("pending live schedules", err)
}

const liveLoginCols = `id, COALESCE(account_id::text, ''), state, qrcode, douyin_id, message, created_at, updated_at`

func scanLiveLogin(row pgx.Row) (live.Login, error) {
	var l live.Login
	err := row.Scan(&l.ID, &l.AccountID, &l.State, &l.QRCode, &l.DouyinID, &l.Message, &l.CreatedAt, &l.UpdatedAt)
	return l, err
}

// CreateLiveLogin records a new companion QR login (accountID may be empty).
func (s *Store) CreateLiveLogin(ctx context.Context, id, accountID string) (live.Login, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var acc *string
	if accountID != "" {
		acc = &accountID
	}
	l, err := scanLiveLogin(s.pool.QueryRow(ctx, `INSERT INTO live_logins (id, account_id) VALUES ($1, $2) RETURNING `+liveLoginCols, id, acc))
	return l, wrap("create live login", err)
}

// LiveLogin returns a login by id.
func (s *Store) LiveLogin(ctx context.Context, id string) (live.Login, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	l, err := scanLiveLogin(s.pool.QueryRow(ctx, `SELECT `+liveLoginCols+` FROM live_logins WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) || isBadUUID(err) {
		return l, live.ErrUnknownLogin
	}
	return l, wrap("live login", err)
}

// UpdateLiveLogin writes a login's phase. A finished login is not changed.
func (s *Store) UpdateLiveLogin(ctx context.Context, l live.Login) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `UPDATE live_logins SET state = $2, qrcode = $3, douyin_id = $4, message = $5,
		account_id = COALESCE(NULLIF($6, '')::uuid, account_id), updated_at = now()
		WHERE id = $1 AND state NOT IN ('succeeded', 'expired', 'failed')`, l.ID, l.State, l.QRCode, l.DouyinID, l.Message, l.AccountID)
	return wrap("update live login", err)
}
