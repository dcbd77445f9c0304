// Package deps opens what both binaries share — the Postgres store (schema
// checked, calls bounded), the Redis queue and the file store — from the
// common configuration, so the two mains wire them the same way.
package deps

import (
	"context"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/config"
	"fanout/pkg/filestore"
	"fanout/pkg/postgres"
	"fanout/pkg/task"
)

// Deps is the shared dependencies of a running binary.
type Deps struct {
	Store *postgres.Store
	Queue *task.Queue
	Redis asynq.RedisConnOpt
	Files *filestore.Store

	closeDB func()
}

// Open connects Postgres (refusing a schema older than this code, every
// call bounded by dbTimeout) and Redis, and opens the file store.
func Open(ctx context.Context, c config.Common, dbTimeout time.Duration) (*Deps, error) {
	box, err := c.Box()
	if err != nil {
		return nil, err
	}
	redis, err := c.Redis()
	if err != nil {
		return nil, err
	}
	files, err := filestore.New(c.DataDir)
	if err != nil {
		return nil, err
	}
	store, closeDB, err := postgres.Connect(ctx, c.DatabaseURL, box)
	if err != nil {
		return nil, err
	}
	store.WithTimeout(dbTimeout)
	return &Deps{Store: store, Queue: task.NewQueue(redis), Redis: redis, Files: files, closeDB: closeDB}, nil
}

// Close closes Redis, then Postgres.
func (s *Deps) Close() {
	s.Queue.Close()
	s.closeDB()
}
