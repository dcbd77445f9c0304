package legacy

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fanout/pkg/app"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
)

// fileRow is a /getFiles row, as the original's file_records.
type fileRow struct {
	ID         int64   `json:"id"`
	Filename   string  `json:"filename"`
	Filesize   float64 `json:"filesize"` // MB, 2 decimals
	UploadTime string  `json:"upload_time"`
	FilePath   string  `json:"file_path"`
	UUID       string  `json:"uuid"`
}

func (h *handler) fileRow(f job.SeqFile) fileRow {
	return fileRow{ID: f.Seq, Filename: f.Filename, Filesize: fmtMB(f.SizeBytes),
		UploadTime: f.CreatedAt.In(h.app.Location()).Format(time.DateTime), FilePath: f.StoredName, UUID: f.ID}
}

// saveUpload streams the multipart "file" part to the file store (a video
// or a cover image, told apart by content) and records it, as POST
// /api/v1/files does. The original's /uploadSave takes an optional
// "filename" field (a name without extension), which the browser sends
// after the file, so the row is written once the body is read.
func (h *handler) saveUpload(c *gin.Context, customName bool) (job.SeqFile, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, h.app.MaxUploadBytes()+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return job.SeqFile{}, sauErr(job.EInvalid, "No file part in the request")
	}
	var staged *app.Staged
	var name, custom string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return job.SeqFile{}, app.MultipartError(err)
		}
		switch {
		case part.FormName() == "file" && staged == nil:
			if part.FileName() == "" {
				return job.SeqFile{}, sauErr(job.EInvalid, "No selected file")
			}
			if name = filestore.CleanName(part.FileName()); name == "" {
				return job.SeqFile{}, sauErr(job.EInvalid, "Invalid filename")
			}
			if staged, err = h.app.StageAny(part); err != nil {
				return job.SeqFile{}, err
			}
			defer h.app.Discard(staged)
		case part.FormName() == "filename" && customName:
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return job.SeqFile{}, app.MultipartError(err)
			}
			custom = strings.TrimSpace(string(b))
		}
		part.Close()
	}
	if staged == nil {
		return job.SeqFile{}, sauErr(job.EInvalid, "No file part in the request")
	}
	if custom != "" {
		// The original appends the uploaded file's extension to the custom name.
		n := custom
		if ext := path.Ext(name); ext != "" {
			n += ext
		}
		if n = filestore.CleanName(n); n == "" {
			return job.SeqFile{}, sauErr(job.EInvalid, "Invalid filename")
		}
		name = n
	}
	f, err := h.app.Commit(c.Request.Context(), staged, name)
	if err != nil {
		return job.SeqFile{}, err
	}
	return h.app.SeqFile(c.Request.Context(), app.Ref{UUID: f.ID})
}

// upload is the publish center's direct upload: data is the stored path
// (what /postVideo's fileList takes). Unlike the original the file is
// recorded, because a publish task needs its row.
func (h *handler) upload(c *gin.Context) {
	f, err := h.saveUpload(c, false)
	if err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "File uploaded successfully", f.StoredName)
}

func (h *handler) uploadSave(c *gin.Context) {
	f, err := h.saveUpload(c, true)
	if err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "File uploaded and saved successfully", gin.H{"filename": f.Filename, "filepath": f.StoredName})
}

func (h *handler) getFiles(c *gin.Context) {
	fs, err := h.app.SeqFiles(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	rows := make([]fileRow, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, h.fileRow(f))
	}
	ok(c, "success", rows)
}

// fileByPath finds the file a legacy path names (its stored name).
func (h *handler) fileByPath(c *gin.Context, p string) (job.SeqFile, error) {
	if p == "" {
		return job.SeqFile{}, sauErr(job.EInvalid, "filename is required")
	}
	if strings.Contains(p, "..") || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) {
		return job.SeqFile{}, sauErr(job.EInvalid, "Invalid filename")
	}
	id, found := uuidPrefix(p)
	if !found {
		return job.SeqFile{}, sauErr(job.ENotFound, "File not found")
	}
	f, err := h.app.SeqFile(c.Request.Context(), app.Ref{UUID: id})
	return f, notFound(err, "File not found")
}

// serveFile sends a stored file with Range support (the preview player asks
// for bytes=0-), inline or as an attachment.
func (h *handler) serveFile(c *gin.Context, p string, attachment bool) {
	f, err := h.fileByPath(c, p)
	if err != nil {
		h.fail(c, err)
		return
	}
	fh, err := h.app.OpenFile(f.File)
	if err != nil {
		h.fail(c, notFound(err, "File not found"))
		return
	}
	defer fh.Close()
	disp := "inline"
	if attachment {
		disp = "attachment"
	}
	c.Header("Content-Type", f.ContentType)
	c.Header("Content-Disposition", mime.FormatMediaType(disp, map[string]string{"filename": f.Filename}))
	http.ServeContent(c.Writer, c.Request, f.Filename, f.CreatedAt, fh)
}

func (h *handler) getFile(c *gin.Context) { h.serveFile(c, c.Query("filename"), false) }

// download is the material library's download link, which the original
// never served.
func (h *handler) download(c *gin.Context) {
	h.serveFile(c, strings.TrimPrefix(c.Param("file_path"), "/"), true)
}

func (h *handler) deleteFile(c *gin.Context) {
	ref, valid := parseRef(c.Query("id"))
	if !valid {
		h.fail(c, sauErr(job.EInvalid, "Invalid or missing file ID"))
		return
	}
	f, err := h.app.SeqFile(c.Request.Context(), ref)
	if err != nil {
		h.fail(c, notFound(err, "File not found"))
		return
	}
	if _, err := h.app.DeleteFile(c.Request.Context(), f.ID); err != nil {
		h.fail(c, err)
		return
	}
	ok(c, "File deleted successfully", gin.H{"id": f.Seq, "filename": f.Filename})
}

// fileStats is the shape of the original's (unmerged) /getFileStats.
func (h *handler) fileStats(c *gin.Context) {
	fs, err := h.app.SeqFiles(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	var total, largest int64
	for _, f := range fs {
		total += f.SizeBytes
		largest = max(largest, f.SizeBytes)
	}
	avg := 0.0
	if len(fs) > 0 {
		avg = fmtMB(total / int64(len(fs)))
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Seq > fs[j].Seq })
	recent := make([]fileRow, 0, 10)
	for _, f := range fs[:min(10, len(fs))] {
		recent = append(recent, h.fileRow(f))
	}
	ok(c, "success", gin.H{
		"size_stats":   gin.H{"total_files": len(fs), "total_size_mb": fmtMB(total), "avg_size_mb": avg, "max_size_mb": fmtMB(largest)},
		"recent_files": recent,
	})
}
