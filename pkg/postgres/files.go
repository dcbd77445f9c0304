package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
)

const fileCols = `id, filename, stored_name, size_bytes, sha256, content_type, created_at`

func scanFile(row pgx.Row) (job.File, error) {
	var f job.File
	err := row.Scan(&f.ID, &f.Filename, &f.StoredName, &f.SizeBytes, &f.SHA256, &f.ContentType, &f.CreatedAt)
	return f, err
}

// CreateFile records a file already written to disk.
func (s *Store) CreateFile(ctx context.Context, f job.File) (job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	out, err := scanFile(s.pool.QueryRow(ctx, `INSERT INTO files (id, filename, stored_name, size_bytes, sha256, content_type)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING `+fileCols, f.ID, f.Filename, f.StoredName, f.SizeBytes, f.SHA256, f.ContentType))
	return out, wrap("create file", err)
}

// GetFile returns one file.
func (s *Store) GetFile(ctx context.Context, id string) (job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	f, err := scanFile(s.pool.QueryRow(ctx, `SELECT `+fileCols+` FROM files WHERE id = $1`, id))
	return f, wrap("get file", notFound(err, "file"))
}

// ListFiles returns files, newest first.
func (s *Store) ListFiles(ctx context.Context) ([]job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+fileCols+` FROM files ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, wrap("list files", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.File, error) { return scanFile(r) })
	return out, wrap("list files", err)
}

// DeleteFile removes a file's row and returns it so the caller can remove the
// bytes. It refuses while a queued or running task uses the file.
func (s *Store) DeleteFile(ctx context.Context, id string) (job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var f job.File
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var busy bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tasks WHERE state IN ('queued','running')
			AND (file_id = $1 OR request->>'cover_file_id' = $1::text))`, id).Scan(&busy); err != nil {
			return wrap("delete file", err)
		}
		if busy {
			return job.Errorf(job.EConflict, "the file is used by a queued or running task")
		}
		var err error
		f, err = scanFile(tx.QueryRow(ctx, `DELETE FROM files WHERE id = $1 RETURNING `+fileCols, id))
		return wrap("delete file", notFound(err, "file"))
	})
	return f, err
}
