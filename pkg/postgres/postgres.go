// Package postgres is the Postgres adapter: the connection pool, the embedded
// schema migrations and the store for tasks, accounts, files and tokens.
// Postgres is Fanout's source of truth; every state a client sees comes from
// here.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLockID is the advisory lock every migrating process takes, so an
// api and a one-shot migrate container starting together cannot race.
const migrationLockID = 0x46616e6f7574 // "Fanout"

// ConnectTimeout bounds one attempt to open a connection.
const ConnectTimeout = 2 * time.Second

// Open connects a pool and checks the server answers.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DATABASE_URL: %w", err)
	}
	// An unreachable server must not hold a caller longer than a store
	// call's own bound; DATABASE_URL's connect_timeout may set it lower.
	if cfg.ConnConfig.ConnectTimeout <= 0 || cfg.ConnConfig.ConnectTimeout > ConnectTimeout {
		cfg.ConnConfig.ConnectTimeout = ConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: ping: %w", err)
	}
	return pool, nil
}

// goose is chosen over a hand-written runner because it is well kept, reads
// embedded SQL files, records versions, and its Postgres session locker takes
// an advisory lock for the whole run.
func provider(dsn string) (*goose.Provider, *sql.DB, error) {
	cc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: parse DATABASE_URL: %w", err)
	}
	db := stdlib.OpenDB(*cc)
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(migrationLockID))
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("postgres: migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, mustSub(), goose.WithSessionLocker(locker))
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("postgres: migrations: %w", err)
	}
	return p, db, nil
}

func mustSub() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err) // the embedded folder is fixed at build time
	}
	return sub
}

// Migrate applies every pending migration and returns how many it applied.
func Migrate(ctx context.Context, dsn string) (int, error) {
	p, db, err := provider(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("postgres: migrate: %w", err)
	}
	return len(res), nil
}

// CheckSchema fails when migrations are pending, so a worker never runs
// against an older schema than its code expects.
func CheckSchema(ctx context.Context, dsn string) error {
	p, db, err := provider(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return fmt.Errorf("postgres: check schema: %w", err)
	}
	if pending {
		return fmt.Errorf("postgres: schema is not up to date: run `fanout-api migrate` first")
	}
	return nil
}
