package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"fanout/pkg/job"
	"fanout/pkg/secret"
)

// Store reads and writes Fanout's tables. Account secrets pass through it in
// plain form only in memory: it seals them with Box before they are written.
type Store struct {
	pool *pgxpool.Pool
	box  *secret.Box
}

// NewStore returns a store on pool that seals secrets with box.
func NewStore(pool *pgxpool.Pool, box *secret.Box) *Store { return &Store{pool: pool, box: box} }

// Ping checks Postgres answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

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

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var je *job.Error
	if errors.As(err, &je) {
		return err
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// CreateToken stores a token hash under name.
func (s *Store) CreateToken(ctx context.Context, id, name string, hash []byte) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO api_tokens (id, name, token_hash) VALUES ($1, $2, $3)`, id, name, hash)
	return wrap("create token", err)
}

// TokenValid reports whether hash belongs to a stored token, and marks it used.
func (s *Store) TokenValid(ctx context.Context, hash []byte) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1`, hash)
	if err != nil {
		return false, wrap("check token", err)
	}
	return tag.RowsAffected() == 1, nil
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
