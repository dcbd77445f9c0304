package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
)

// uploadFile streams a multipart "file" part to disk. Videos are the default;
// ?kind=cover accepts a cover image (png, jpeg, webp) instead.
func (s *Server) uploadFile(c *gin.Context) {
	kind := filestore.Video
	switch c.Query("kind") {
	case "", "video":
	case "cover", "image":
		kind = filestore.Image
	default:
		s.fail(c, invalid("kind", "must be video or cover"))
		return
	}
	// The multipart envelope adds a little to the file; allow for it.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, invalid("file", "send the file as multipart/form-data in a part named \"file\""))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			s.fail(c, invalid("file", "required"))
			return
		}
		if err != nil {
			s.fail(c, uploadErr(err))
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		name := filestore.CleanName(part.FileName())
		if name == "" {
			s.fail(c, invalid("file", "file name is missing or unusable"))
			return
		}
		id := uuid.NewString()
		saved, err := s.files.Save(id, part, kind, s.cfg.MaxUploadBytes)
		if err != nil {
			s.fail(c, uploadErr(err))
			return
		}
		f, err := s.store.CreateFile(c.Request.Context(), job.File{ID: id, Filename: name, StoredName: saved.StoredName,
			SizeBytes: saved.Size, SHA256: saved.SHA256, ContentType: saved.ContentType})
		if err != nil {
			_ = s.files.Remove(saved.StoredName)
			s.fail(c, err)
			return
		}
		c.Header("Location", "/api/v1/files/"+f.ID)
		c.JSON(http.StatusCreated, f)
		return
	}
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, filestore.ErrTooLarge), errors.As(err, &mbe):
		return &job.Error{Code: job.ETooLarge, Message: "file too large", Fields: []job.FieldError{{Field: "file", Message: "exceeds the upload size limit"}}}
	case errors.Is(err, filestore.ErrType):
		return &job.Error{Code: job.EUnsupported, Message: "unsupported file type",
			Fields: []job.FieldError{{Field: "file", Message: "content is not an accepted type (videos: mp4, mov, webm, mkv, flv, avi; covers: png, jpeg, webp)"}}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("file", "upload ended early")
	}
	return err
}

func (s *Server) listFiles(c *gin.Context) {
	fs, err := s.store.ListFiles(c.Request.Context())
	s.reply(c, http.StatusOK, gin.H{"items": fs}, err)
}

func (s *Server) getFile(c *gin.Context) {
	if f, ok := loadByID(s, c, s.store.GetFile); ok {
		c.JSON(http.StatusOK, f)
	}
}

// fileContent serves the bytes with Range support (http.ServeContent).
func (s *Server) fileContent(c *gin.Context) {
	f, ok := loadByID(s, c, s.store.GetFile)
	if !ok {
		return
	}
	fh, err := os.Open(s.files.Path(f.StoredName))
	if errors.Is(err, os.ErrNotExist) {
		s.fail(c, job.Errorf(job.ENotFound, "file content is missing on disk"))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	defer fh.Close()
	c.Header("Content-Type", f.ContentType)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	http.ServeContent(c.Writer, c.Request, f.Filename, f.CreatedAt, fh)
}

func (s *Server) deleteFile(c *gin.Context) {
	f, ok := loadByID(s, c, s.store.DeleteFile)
	if !ok {
		return
	}
	if err := s.files.Remove(f.StoredName); err != nil {
		s.log.Warn("remove file content", "file_id", f.ID, "err", err)
	}
	c.Status(http.StatusNoContent)
}
