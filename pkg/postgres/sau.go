package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// The original tool's web API (served beside /api/v1 for its Vue frontend)
// names accounts and files by small integers. These reads add that number
// (the seq column) to the same rows /api/v1 uses; nothing here is a second
// copy of any data.

func scanSeqAccount(row pgx.Row) (job.SeqAccount, error) {
	var a job.SeqAccount
	err := row.Scan(&a.Seq, &a.ID, &a.Platform, &a.Name, &a.Status, &a.HasCookies, &a.HasProxy,
		&a.CreatedAt, &a.UpdatedAt, &a.LastCheckedAt, &a.LastLoginAt, &a.ExpiresHint)
	return a, err
}

func scanSeqFile(row pgx.Row) (job.SeqFile, error) {
	var f job.SeqFile
	err := row.Scan(&f.Seq, &f.ID, &f.Filename, &f.StoredName, &f.SizeBytes, &f.SHA256, &f.ContentType, &f.CreatedAt)
	return f, err
}

// SeqAccounts returns every account with its integer id, in id order (the
// order the original listed its rows in).
func (s *Store) SeqAccounts(ctx context.Context) ([]job.SeqAccount, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT seq, `+accountCols+` FROM accounts ORDER BY seq`)
	if err != nil {
		return nil, wrap("seq accounts", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.SeqAccount, error) { return scanSeqAccount(r) })
	return out, wrap("seq accounts", err)
}

// SeqAccount returns the account with integer id seq.
func (s *Store) SeqAccount(ctx context.Context, seq int64) (job.SeqAccount, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := scanSeqAccount(s.pool.QueryRow(ctx, `SELECT seq, `+accountCols+` FROM accounts WHERE seq = $1`, seq))
	return a, wrap("seq account", notFound(err, "account"))
}

// SeqAccountByID returns the account with uuid id, with its integer id.
func (s *Store) SeqAccountByID(ctx context.Context, id string) (job.SeqAccount, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := scanSeqAccount(s.pool.QueryRow(ctx, `SELECT seq, `+accountCols+` FROM accounts WHERE id = $1`, id))
	return a, wrap("seq account", notFound(err, "account"))
}

// AccountByName returns the account called name on platform p.
func (s *Store) AccountByName(ctx context.Context, p platform.Name, name string) (job.SeqAccount, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	a, err := scanSeqAccount(s.pool.QueryRow(ctx, `SELECT seq, `+accountCols+` FROM accounts
		WHERE platform = $1 AND name = $2`, p, name))
	return a, wrap("account by name", notFound(err, "account"))
}

// SeqFiles returns every file with its integer id, in id order.
func (s *Store) SeqFiles(ctx context.Context) ([]job.SeqFile, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT seq, `+fileCols+` FROM files WHERE deleted_at IS NULL ORDER BY seq`)
	if err != nil {
		return nil, wrap("seq files", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.SeqFile, error) { return scanSeqFile(r) })
	return out, wrap("seq files", err)
}

// SeqFile returns the file with integer id seq.
func (s *Store) SeqFile(ctx context.Context, seq int64) (job.SeqFile, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	f, err := scanSeqFile(s.pool.QueryRow(ctx, `SELECT seq, `+fileCols+` FROM files WHERE seq = $1 AND deleted_at IS NULL`, seq))
	return f, wrap("seq file", notFound(err, "file"))
}

// SeqFileByID returns the file with uuid id, with its integer id.
func (s *Store) SeqFileByID(ctx context.Context, id string) (job.SeqFile, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	f, err := scanSeqFile(s.pool.QueryRow(ctx, `SELECT seq, `+fileCols+` FROM files WHERE id = $1 AND deleted_at IS NULL`, id))
	return f, wrap("seq file", notFound(err, "file"))
}

// PendingTasks returns the queued or running tasks of kind, oldest first, so
// a caller can join one instead of queueing the same work again.
func (s *Store) PendingTasks(ctx context.Context, kind job.Kind) ([]job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+taskCols+` FROM tasks
		WHERE kind = $1 AND state IN ('queued', 'running') ORDER BY created_at, id`, kind)
	if err != nil {
		return nil, wrap("pending tasks", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
	return out, wrap("pending tasks", err)
}

// GetTasks returns the tasks with the given ids (missing ones are left out).
func (s *Store) GetTasks(ctx context.Context, ids []string) ([]job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return nil, wrap("get tasks", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.Task, error) { return scanTask(r) })
	return out, wrap("get tasks", err)
}
