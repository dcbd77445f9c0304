package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/google/uuid"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
)

// Staged is an upload whose bytes are on disk but which is not yet a file
// row: the original tool's form sends the name it wants after the file, so
// the row is written once the whole body is read. Commit records it;
// Discard removes the bytes.
type Staged struct {
	id    string
	saved *filestore.Saved
}

// Stage streams r to the file store as kind, bounded by the upload limit.
func (a *App) Stage(r io.Reader, kind filestore.Kind) (*Staged, error) {
	id := uuid.NewString()
	saved, err := a.files.Save(id, r, kind, a.cfg.MaxUploadBytes)
	if err != nil {
		return nil, UploadError(err)
	}
	return &Staged{id: id, saved: &saved}, nil
}

// StageAny stages a video, or an image when the content is one (the
// original's material library takes both).
func (a *App) StageAny(r io.Reader) (*Staged, error) {
	br := bufio.NewReaderSize(r, 512)
	head, _ := br.Peek(512)
	kind := filestore.Video
	if ct, _ := filestore.Sniff(head); strings.HasPrefix(ct, "image/") {
		kind = filestore.Image
	}
	return a.Stage(br, kind)
}

// Discard removes staged bytes that will not be recorded; it is a no-op
// after Commit.
func (a *App) Discard(s *Staged) {
	if s != nil && s.saved != nil {
		_ = a.files.Remove(s.saved.StoredName)
		s.saved = nil
	}
}

// Commit records staged bytes as a file named name (already cleaned with
// filestore.CleanName). On failure the bytes are removed.
func (a *App) Commit(ctx context.Context, s *Staged, name string) (job.File, error) {
	if s == nil || s.saved == nil {
		return job.File{}, errors.New("app: commit of an upload that is not staged")
	}
	f, err := a.store.CreateFile(ctx, job.File{ID: s.id, Filename: name, StoredName: s.saved.StoredName,
		SizeBytes: s.saved.Size, SHA256: s.saved.SHA256, ContentType: s.saved.ContentType})
	if err != nil {
		a.Discard(s)
		return job.File{}, err
	}
	s.saved = nil
	return f, nil
}

// Upload stores r as a file called name: a video, or with kind
// filestore.Image a cover image. The type is checked by content and the
// name neutralised; a name with nothing usable left is refused.
func (a *App) Upload(ctx context.Context, name string, kind filestore.Kind, r io.Reader) (job.File, error) {
	clean := filestore.CleanName(name)
	if clean == "" {
		return job.File{}, invalid("file", "file name is missing or unusable")
	}
	s, err := a.Stage(r, kind)
	if err != nil {
		return job.File{}, err
	}
	return a.Commit(ctx, s, clean)
}

// UploadError turns what went wrong while reading an upload into the
// client's error: too large, not an accepted type, cut short. Anything else
// is returned as it is.
func UploadError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, filestore.ErrTooLarge), errors.As(err, &mbe):
		return &job.Error{Code: job.ETooLarge, Message: "file too large", Fields: []job.FieldError{{Field: "file", Message: "exceeds the upload size limit"}}}
	case errors.Is(err, filestore.ErrType):
		return &job.Error{Code: job.EUnsupported, Message: "unsupported file type",
			Fields: []job.FieldError{{Field: "file", Message: "content is not an accepted type (videos: mp4, mov, webm, mkv, flv, avi; covers: png, jpeg, webp)"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("file", "upload ended early")
	case errors.Is(err, filestore.ErrRead):
		return invalid("file", "the upload could not be read (a malformed or broken multipart body)")
	}
	return err
}

// MultipartError is UploadError for an error reading a multipart body's
// structure (between parts): whatever is not a size limit is a malformed
// request, never the server's fault.
func MultipartError(err error) error {
	if e := UploadError(err); e != err {
		return e
	}
	return invalid("file", "malformed multipart/form-data body")
}

// GetFile returns one file's metadata.
func (a *App) GetFile(ctx context.Context, id string) (job.File, error) {
	return a.store.GetFile(ctx, id)
}

// ListFiles returns every file.
func (a *App) ListFiles(ctx context.Context) ([]job.File, error) { return a.store.ListFiles(ctx) }

// DeleteFile takes a file out of the library at once. Its row and bytes go
// now, or, while a queued or running task still needs it, when the worker's
// sweeper finds it no longer needed (Store.PurgeDeletedFiles): a delete is
// never refused for a task that will still publish it.
func (a *App) DeleteFile(ctx context.Context, id string) (job.File, error) {
	f, kept, err := a.store.DeleteFile(ctx, id)
	if err != nil || kept {
		return f, err
	}
	if err := a.files.Remove(f.StoredName); err != nil {
		a.log.Warn("remove file content", "file_id", f.ID, "err", err)
	}
	return f, nil
}

// OpenFile opens a file's bytes for reading; the caller closes them.
func (a *App) OpenFile(f job.File) (*os.File, error) {
	fh, err := os.Open(a.files.Path(f.StoredName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, job.Errorf(job.ENotFound, "file content is missing on disk")
	}
	if err != nil {
		return nil, fmt.Errorf("open file %s: %w", f.ID, err)
	}
	return fh, nil
}
