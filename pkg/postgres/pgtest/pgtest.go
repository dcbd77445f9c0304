// Package pgtest gives a test a migrated Postgres store of its own (a fresh
// schema from pkg/testenv), sealed with a fresh key, closed when the test
// ends.
package pgtest

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"fanout/pkg/postgres"
	"fanout/pkg/secret"
	"fanout/pkg/testenv"
)

// DSN returns the DSN of a migrated schema of the test's own.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := testenv.Postgres(t)
	if _, err := postgres.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Store returns a store on a migrated schema of its own, and its pool.
func Store(t testing.TB) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	return StoreAt(t, DSN(t), secret.NewKey())
}

// StoreAt returns a store on dsn (already migrated) sealing with key (a
// process that must read its secrets, like a worker, gets the same key),
// and its pool.
func StoreAt(t testing.TB, dsn, key string) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	box, err := secret.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	return postgres.NewStore(pool, box), pool
}

// Token creates an API token named name and returns it.
func Token(t testing.TB, store *postgres.Store, name string) string {
	t.Helper()
	tok, hash := secret.NewToken()
	if err := store.CreateToken(context.Background(), uuid.NewString(), name, hash); err != nil {
		t.Fatal(err)
	}
	return tok
}
