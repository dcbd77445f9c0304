package v1

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
	"fanout/pkg/filestore"
)

// uploadFile streams a multipart "file" part to disk. Videos are the default;
// ?kind=cover accepts a cover image (png, jpeg, webp) instead.
func (h *handler) uploadFile(c *gin.Context) {
	kind := filestore.Video
	switch c.Query("kind") {
	case "", "video":
	case "cover", "image":
		kind = filestore.Image
	default:
		h.fail(c, invalid("kind", "must be video or cover"))
		return
	}
	// The multipart envelope adds a little to the file; allow for it.
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, h.app.MaxUploadBytes()+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		h.fail(c, invalid("file", "send the file as multipart/form-data in a part named \"file\""))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			h.fail(c, invalid("file", "required"))
			return
		}
		if err != nil {
			h.fail(c, app.MultipartError(err))
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		f, err := h.app.Upload(c.Request.Context(), part.FileName(), kind, part)
		if err != nil {
			h.fail(c, err)
			return
		}
		c.Header("Location", "/api/v1/files/"+f.ID)
		c.JSON(http.StatusCreated, f)
		return
	}
}

func (h *handler) listFiles(c *gin.Context) {
	fs, err := h.app.ListFiles(c.Request.Context())
	h.reply(c, http.StatusOK, gin.H{"items": fs}, err)
}

func (h *handler) getFile(c *gin.Context) {
	if f, ok := byID(h, c, h.app.GetFile); ok {
		c.JSON(http.StatusOK, f)
	}
}

// fileContent serves the bytes with Range support (http.ServeContent).
func (h *handler) fileContent(c *gin.Context) {
	f, ok := byID(h, c, h.app.GetFile)
	if !ok {
		return
	}
	fh, err := h.app.OpenFile(f)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer fh.Close()
	c.Header("Content-Type", f.ContentType)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Filename}))
	http.ServeContent(c.Writer, c.Request, f.Filename, f.CreatedAt, fh)
}

func (h *handler) deleteFile(c *gin.Context) {
	if _, ok := byID(h, c, h.app.DeleteFile); ok {
		c.Status(http.StatusNoContent)
	}
}
