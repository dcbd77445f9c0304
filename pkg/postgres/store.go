package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"

	"fanout/pkg/job"
	"fanout/pkg/metrics"
	"fanout/pkg/secret"
)

// Store reads and writes Fanout's tables. Account secrets pass through it in
// plain form only in memory: it seals them with Box before they are written.
type Store struct {
	pool    *pgxpool.Pool
	box     *secret.Box
	timeout time.Duration
}

// DefaultTimeout bounds one store call unless WithTimeout says otherwise.
const DefaultTimeout = 5 * time.Second

// NewStore returns a store on pool that seals secrets with box.
func NewStore(pool *pgxpool.Pool, box *secret.Box) *Store {
	return &Store{pool: pool, box: box, timeout: DefaultTimeout}
}

// WithTimeout bounds every store call (statements, transactions and the
// connection they may need) by d, so that with the database refusing or
// unreachable a caller gets ErrUnavailable within d instead of hanging on
// the network. It returns s.
func (s *Store) WithTimeout(d time.Duration) *Store {
	if d > 0 {
		s.timeout = d
	}
	return s
}

// bound gives ctx the store's deadline (an earlier one of ctx stays).
func (s *Store) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// Ping checks Postgres answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	return wrap("ping", s.pool.Ping(ctx))
}

// notFound turns pgx.ErrNoRows into a not-found *job.Error.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return job.NotFound(what)
	}
	return err
}

// isUnique reports a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// isBadUUID reports a malformed uuid parameter (a client error, not ours).
func isBadUUID(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "22P02"
}

// ErrUnavailable is the client's error for a database that refuses,
// cannot be reached, or does not answer in time. Store errors carry it (and
// their cause) so every surface answers 503 instead of 500.
var ErrUnavailable = &job.Error{Code: job.EUnavailable, Message: "database unavailable"}

// errBadText is a text value Postgres cannot store (a NUL character or
// invalid UTF-8): the client's error, whatever field it came in.
var errBadText = job.Errorf(job.EInvalid, "text contains a NUL character or invalid UTF-8")

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var je *job.Error
	if errors.As(err, &je) {
		return err
	}
	if unavailable(err) {
		return fmt.Errorf("%w (postgres: %s: %w)", ErrUnavailable, op, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "22021" || pe.Code == "22P05") {
		return errBadText
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// unavailable reports an error that says the database is not reachable or
// not answering, rather than that the statement was wrong.
func unavailable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.Is(err, context.DeadlineExceeded), pgconn.Timeout(err),
		errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, puddle.ErrClosedPool):
		return true
	case errors.As(err, &pe):
		// Class 08 is connection exceptions; 57P0x the server shutting down
		// or starting; 53300 too many connections.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P0") || pe.Code == "53300"
	}
	return false
}

// CreateToken stores a token hash under name.
func (s *Store) CreateToken(ctx context.Context, id, name string, hash []byte) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	_, err := s.pool.Exec(ctx, `INSERT INTO api_tokens (id, name, token_hash) VALUES ($1, $2, $3)`, id, name, hash)
	return wrap("create token", err)
}

// TokenValid reports whether hash belongs to a stored token. It records
// the use at most once a minute per token, so checking a token is a read.
func (s *Store) TokenValid(ctx context.Context, hash []byte) (bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var ok bool
	err := s.pool.QueryRow(ctx, `WITH t AS (SELECT id, last_used_at FROM api_tokens WHERE token_hash = $1),
		u AS (UPDATE api_tokens a SET last_used_at = now() FROM t WHERE a.id = t.id
			AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') RETURNING 1)
		SELECT EXISTS (SELECT 1 FROM t)`, hash).Scan(&ok)
	return ok, wrap("check token", err)
}

// CreateSession stores a browser session (by the hash of its id) for the
// token with tokenHash, valid for ttl. An unknown token is unauthorized.
func (s *Store) CreateSession(ctx context.Context, tokenHash, sessionHash []byte, ttl time.Duration) error {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `INSERT INTO api_sessions (id_hash, token_id, expires_at)
		SELECT $2, id, now() + $3::interval FROM api_tokens WHERE token_hash = $1`, tokenHash, sessionHash, ttl)
	if err != nil {
		return wrap("create session", err)
	}
	if tag.RowsAffected() == 0 {
		return job.Errorf(job.EUnauthorized, "invalid token")
	}
	return nil
}

// SessionValid reports whether a session (by hash) exists, has not expired
// and its token still exists.
func (s *Store) SessionValid(ctx context.Context, sessionHash []byte) (bool, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM api_sessions WHERE id_hash = $1 AND expires_at > now())`,
		sessionHash).Scan(&ok)
	return ok, wrap("check session", err)
}

// RevokeTokens deletes the tokens named name (and so their sessions) and
// returns how many there were.
func (s *Store) RevokeTokens(ctx context.Context, name string) (int64, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	tag, err := s.pool.Exec(ctx, `DELETE FROM api_tokens WHERE name = $1`, name)
	if err != nil {
		return 0, wrap("revoke tokens", err)
	}
	return tag.RowsAffected(), nil
}

// Connect opens a pool, refuses a schema older than this code, and returns a
// store on it with a func that closes the pool. Both binaries start this way.
func Connect(ctx context.Context, dsn string, box *secret.Box) (*Store, func(), error) {
	pool, err := Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckSchema(ctx, dsn); err != nil {
		pool.Close()
		return nil, nil, err
	}
	return NewStore(pool, box), pool.Close, nil
}

// AccountStatusCounts is how many accounts each platform has per status.
func (s *Store) AccountStatusCounts(ctx context.Context) ([]metrics.AccountCount, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT platform, status, count(*) FROM accounts GROUP BY platform, status`)
	if err != nil {
		return nil, wrap("account counts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (metrics.AccountCount, error) {
		var c metrics.AccountCount
		err := r.Scan(&c.Platform, &c.Status, &c.N)
		return c, err
	})
	return out, wrap("account counts", err)
}

// OpenLiveRooms is how many live rooms are open.
func (s *Store) OpenLiveRooms(ctx context.Context) (int, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM live_rooms WHERE state = 'live'`).Scan(&n)
	return n, wrap("open live rooms", err)
}
