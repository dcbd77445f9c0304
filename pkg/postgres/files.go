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

// GetFile returns one file of the library (not one deleted).
func (s *Store) GetFile(ctx context.Context, id string) (job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	f, err := scanFile(s.pool.QueryRow(ctx, `SELECT `+fileCols+` FROM files WHERE id = $1 AND deleted_at IS NULL`, id))
	return f, wrap("get file", notFound(err, "file"))
}

// TaskFile returns a file a task needs, deleted from the library or not:
// its bytes stay until no queued or running task needs them.
func (s *Store) TaskFile(ctx context.Context, id string) (job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	f, err := scanFile(s.pool.QueryRow(ctx, `SELECT `+fileCols+` FROM files WHERE id = $1`, id))
	return f, wrap("task file", notFound(err, "file"))
}

// ListFiles returns the library's files, newest first.
func (s *Store) ListFiles(ctx context.Context) ([]job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `SELECT `+fileCols+` FROM files WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, wrap("list files", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.File, error) { return scanFile(r) })
	return out, wrap("list files", err)
}

// fileInUse is true for a file a queued or running task needs (as its
// video, its cover, or one of an image note's images: the task's file_id
// is only the note's first image).
const fileInUse = `EXISTS (SELECT 1 FROM tasks WHERE state IN ('queued','running')
	AND (file_id = files.id OR request->>'cover_file_id' = files.id::text
		OR request->'image_file_ids' @> to_jsonb(files.id::text)))`

// DeleteFile takes a file out of the library. A file no queued or running
// task needs is removed and returned with kept false, for the caller to
// remove its bytes; one still needed is only marked deleted (kept true):
// it leaves every listing at once, and PurgeDeletedFiles removes it once
// its tasks have ended.
func (s *Store) DeleteFile(ctx context.Context, id string) (f job.File, kept bool, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT `+fileInUse+` FROM files WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`, id).Scan(&kept); err != nil {
			return notFound(err, "file")
		}
		q := `DELETE FROM files WHERE id = $1 RETURNING ` + fileCols
		if kept {
			q = `UPDATE files SET deleted_at = now() WHERE id = $1 RETURNING ` + fileCols
		}
		var err error
		f, err = scanFile(tx.QueryRow(ctx, q, id))
		return err
	})
	return f, kept, wrap("delete file", err)
}

// PurgeDeletedFiles removes the files deleted from the library that no
// queued or running task needs any more, and returns them for the caller to
// remove their bytes.
func (s *Store) PurgeDeletedFiles(ctx context.Context) ([]job.File, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	rows, err := s.pool.Query(ctx, `DELETE FROM files WHERE deleted_at IS NOT NULL AND NOT `+fileInUse+` RETURNING `+fileCols)
	if err != nil {
		return nil, wrap("purge deleted files", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (job.File, error) { return scanFile(r) })
	return out, wrap("purge deleted files", err)
}
