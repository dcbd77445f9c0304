package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

const accountCols = `id, platform, name, status, cookies_enc IS NOT NULL, proxy_enc IS NOT NULL,
	created_at, updated_at, last_checked_at, last_login_at, expires_hint`

func scanAccount(row pgx.Row) (job.Account, error) {
	var a job.Account
	err := row.Scan(&a.ID, &a.Platform, &a.Name, &a.Status, &a.HasCookies, &a.HasProxy,
		&a.CreatedAt, &a.UpdatedAt, &a.LastCheckedAt, &a.LastLoginAt, &a.ExpiresHint)
	return a, err
}

// CreateAccount stores a new account; proxy (may be empty) is sealed.
func (s *Store) CreateAccount(ctx context.Context, id string, p platform.Name, name, proxy string) (job.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var proxyEnc []byte
	if proxy != "" {
		proxyEnc = s.box.Seal([]byte(proxy), []byte(id))
	}
	a, err := scanAccount(s.pool.QueryRow(ctx, `INSERT INTO accounts (id, platform, name, proxy_enc)
		VALUES ($1, $2, $3, $4) RETURNING `+accountCols, id, p, name, proxyEnc))
	if isUnique(err) {
		return a, &job.Error{Code: job.EConflict, Message: "an account with this name exists on this platform",
			Fields: []job.FieldError{{Field: "name", Message: "already used on " + string(p)}}}
	}
	return a, wrap("create account", err)
}

// GetAccount returns one account.
func (s *Store) GetAccount(ctx context.Context, id string) (job.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountCols+` FROM accounts WHERE id = $1`, id))
	return a, wrap("get account", notFound(err, "account"))
}

// ListAccounts returns accounts, optionally of one platform, oldest first.
func (s *Store) ListAccounts(ctx context.Context, p platform.Name) ([]job.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+accountCols+` FROM accounts
		WHERE ($1 = '' OR platform = $1) ORDER BY created_at, id`, string(p))
	if err != nil {
		return nil, wrap("list accounts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Account, error) { return scanAccount(r) })
	return out, wrap("list accounts", err)
}

// UpdateAccount changes the name and/or proxy (an empty proxy clears it).
func (s *Store) UpdateAccount(ctx context.Context, id string, name, proxy *string) (job.Account, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var proxyEnc []byte
	setProxy := proxy != nil
	if setProxy && *proxy != "" {
		proxyEnc = s.box.Seal([]byte(*proxy), []byte(id))
	}
	a, err := scanAccount(s.pool.QueryRow(ctx, `UPDATE accounts SET
		name = COALESCE($2, name),
		proxy_enc = CASE WHEN $3 THEN $4 ELSE proxy_enc END,
		updated_at = now()
		WHERE id = $1 RETURNING `+accountCols, id, name, setProxy, proxyEnc))
	if isUnique(err) {
		return a, &job.Error{Code: job.EConflict, Message: "an account with this name exists on this platform",
			Fields: []job.FieldError{{Field: "name", Message: "already used"}}}
	}
	return a, wrap("update account", notFound(err, "account"))
}

// DeleteAccount removes an account and its task history. It refuses while a
// task of the account is queued or running.
func (s *Store) DeleteAccount(ctx context.Context, id string) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tasks WHERE account_id = $1 AND state IN ('queued','running'))`, id).Scan(&busy); err != nil {
			return wrap("delete account", err)
		}
		if busy {
			return job.Errorf(job.EConflict, "the account has queued or running tasks; cancel them first")
		}
		tag, err := tx.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, id)
		if err != nil {
			return wrap("delete account", err)
		}
		if tag.RowsAffected() == 0 {
			return job.NotFound("account")
		}
		return nil
	})
}

// AccountSecrets returns the account's cookies and proxy in plain form, for
// the worker's browser session only.
func (s *Store) AccountSecrets(ctx context.Context, id string) ([]web.Cookie, string, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var cookiesEnc, proxyEnc []byte
	err := s.pool.QueryRow(ctx, `SELECT cookies_enc, proxy_enc FROM accounts WHERE id = $1`, id).Scan(&cookiesEnc, &proxyEnc)
	if err != nil {
		return nil, "", wrap("account secrets", notFound(err, "account"))
	}
	var cookies []web.Cookie
	if cookiesEnc != nil {
		plain, err := s.box.Open(cookiesEnc, []byte(id))
		if err != nil {
			return nil, "", fmt.Errorf("postgres: account cookies: %w", err)
		}
		if err := json.Unmarshal(plain, &cookies); err != nil {
			return nil, "", fmt.Errorf("postgres: account cookies: %w", err)
		}
	}
	var proxy string
	if proxyEnc != nil {
		plain, err := s.box.Open(proxyEnc, []byte(id))
		if err != nil {
			return nil, "", fmt.Errorf("postgres: account proxy: %w", err)
		}
		proxy = string(plain)
	}
	return cookies, proxy, nil
}

// SaveCookies seals and stores the account's cookies and sets its status.
// login marks a fresh QR login (last_login_at), otherwise it is a refresh
// after a task.
func (s *Store) SaveCookies(ctx context.Context, id string, cookies []web.Cookie, status job.AccountStatus, login bool) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	plain, err := json.Marshal(cookies)
	if err != nil {
		return fmt.Errorf("postgres: save cookies: %w", err)
	}
	// The hint depends on the account's platform: every platform's is
	// passed and the row picks its own, so this stays one round trip.
	hints := map[platform.Name]*time.Time{}
	for _, n := range platform.Names() {
		hints[n] = platform.ExpiresHint(n, cookies)
	}
	_, err = s.pool.Exec(ctx, `UPDATE accounts SET cookies_enc = $2, status = $3, updated_at = now(),
		last_checked_at = now(), last_login_at = CASE WHEN $4 THEN now() ELSE last_login_at END,
		expires_hint = ($5::jsonb ->> platform)::timestamptz WHERE id = $1`,
		id, s.box.Seal(plain, []byte(id)), status, login, hints)
	return wrap("save cookies", err)
}

// SetAccountStatus records what a check, login or publish learned.
func (s *Store) SetAccountStatus(ctx context.Context, id string, status job.AccountStatus) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `UPDATE accounts SET status = $2, updated_at = now(),
		last_checked_at = CASE WHEN $2 IN ('active','expired') THEN now() ELSE last_checked_at END WHERE id = $1`, id, status)
	return wrap("set account status", err)
}

// AccountProfile returns the account's browser profile, fixing one on first
// use (stable for the account; international platforms get en-US).
func (s *Store) AccountProfile(ctx context.Context, id string) (web.Profile, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var raw []byte
	var p platform.Name
	if err := s.pool.QueryRow(ctx, `SELECT browser_profile, platform FROM accounts WHERE id = $1`, id).Scan(&raw, &p); err != nil {
		return web.Profile{}, wrap("account profile", notFound(err, "account"))
	}
	var prof web.Profile
	if raw != nil && json.Unmarshal(raw, &prof) == nil && prof.OS != "" {
		return prof, nil
	}
	prof = web.NewProfile(id, p == platform.TikTok)
	b, _ := json.Marshal(prof)
	// Another worker may have fixed one meanwhile: keep the first.
	err := s.pool.QueryRow(ctx, `UPDATE accounts SET browser_profile = COALESCE(browser_profile, $2) WHERE id = $1
		RETURNING browser_profile`, id, b).Scan(&raw)
	if err != nil {
		return web.Profile{}, wrap("account profile", err)
	}
	if err := json.Unmarshal(raw, &prof); err != nil {
		return web.Profile{}, fmt.Errorf("postgres: account profile: %w", err)
	}
	return prof, nil
}
