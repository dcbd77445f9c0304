package httpapi

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"fanout/pkg/filestore"
	"fanout/pkg/job"
)

// sauFileRow is a /getFiles row, as the original's file_records.
type sauFileRow struct {
	ID         int64   `json:"id"`
	Filename   string  `json:"filename"`
	Filesize   float64 `json:"filesize"` // MB, 2 decimals
	UploadTime string  `json:"upload_time"`
	FilePath   string  `json:"file_path"`
	UUID       string  `json:"uuid"`
}

func (s *Server) sauFileRow(f job.SeqFile) sauFileRow {
	return sauFileRow{ID: f.Seq, Filename: f.Filename, Filesize: fmtMB(f.SizeBytes),
		UploadTime: f.CreatedAt.In(s.cfg.Location).Format(time.DateTime), FilePath: f.StoredName, UUID: f.ID}
}

// sauSaveUpload streams the multipart "file" part to the file store (a video
// or a cover image, told apart by content) and records it in the files
// table, as POST /api/v1/files does. The original's /uploadSave takes an
// optional "filename" field (a name without extension), which the browser
// sends after the file, so the row is written once the body is read.
func (s *Server) sauSaveUpload(c *gin.Context, customName bool) (job.SeqFile, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxUploadBytes+1<<20)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return job.SeqFile{}, sauErr(job.EInvalid, "No file part in the request")
	}
	var saved *filestore.Saved
	var id, name, custom string
	defer func() {
		if saved != nil {
			_ = s.files.Remove(saved.StoredName)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return job.SeqFile{}, uploadErr(err)
		}
		switch {
		case part.FormName() == "file" && saved == nil:
			if part.FileName() == "" {
				return job.SeqFile{}, sauErr(job.EInvalid, "No selected file")
			}
			if name = filestore.CleanName(part.FileName()); name == "" {
				return job.SeqFile{}, sauErr(job.EInvalid, "Invalid filename")
			}
			id = uuid.NewString()
			sv, err := s.saveAnyKind(id, part)
			if err != nil {
				return job.SeqFile{}, uploadErr(err)
			}
			saved = &sv
		case part.FormName() == "filename" && customName:
			b, err := io.ReadAll(io.LimitReader(part, 1024))
			if err != nil {
				return job.SeqFile{}, uploadErr(err)
			}
			custom = strings.TrimSpace(string(b))
		}
		part.Close()
	}
	if saved == nil {
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
	f, err := s.store.CreateFile(c.Request.Context(), job.File{ID: id, Filename: name, StoredName: saved.StoredName,
		SizeBytes: saved.Size, SHA256: saved.SHA256, ContentType: saved.ContentType})
	if err != nil {
		return job.SeqFile{}, err
	}
	saved = nil // recorded: keep it
	return s.store.SeqFileByID(c.Request.Context(), f.ID)
}

// saveAnyKind stores a video, or an image when the content is one (the
// original's material library takes both).
func (s *Server) saveAnyKind(id string, part *multipart.Part) (filestore.Saved, error) {
	br := bufio.NewReaderSize(part, 512)
	head, _ := br.Peek(512)
	kind := filestore.Video
	if ct, _ := filestore.Sniff(head); strings.HasPrefix(ct, "image/") {
		kind = filestore.Image
	}
	return s.files.Save(id, br, kind, s.cfg.MaxUploadBytes)
}

// sauUpload is the publish center's direct upload: data is the stored path
// (what /postVideo's fileList takes). Unlike the original the file is
// recorded, because a publish task needs its row.
func (s *Server) sauUpload(c *gin.Context) {
	f, err := s.sauSaveUpload(c, false)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "File uploaded successfully", f.StoredName)
}

func (s *Server) sauUploadSave(c *gin.Context) {
	f, err := s.sauSaveUpload(c, true)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	sauOK(c, "File uploaded and saved successfully", gin.H{"filename": f.Filename, "filepath": f.StoredName})
}

func (s *Server) sauGetFiles(c *gin.Context) {
	fs, err := s.store.SeqFiles(c.Request.Context())
	if err != nil {
		s.sauFail(c, err)
		return
	}
	rows := make([]sauFileRow, 0, len(fs))
	for _, f := range fs {
		rows = append(rows, s.sauFileRow(f))
	}
	sauOK(c, "success", rows)
}

// sauFileByPath finds the file a legacy path names (its stored name).
func (s *Server) sauFileByPath(c *gin.Context, p string) (job.SeqFile, error) {
	if p == "" {
		return job.SeqFile{}, sauErr(job.EInvalid, "filename is required")
	}
	if strings.Contains(p, "..") || strings.HasPrefix(p, "/") || strings.Contains(p, `\`) {
		return job.SeqFile{}, sauErr(job.EInvalid, "Invalid filename")
	}
	id, ok := uuidPrefix(p)
	if !ok {
		return job.SeqFile{}, sauErr(job.ENotFound, "File not found")
	}
	f, err := s.store.SeqFileByID(c.Request.Context(), id)
	if job.ErrorCode(err) == job.ENotFound {
		err = sauErr(job.ENotFound, "File not found")
	}
	return f, err
}

// sauServeFile sends a stored file with Range support (the preview player
// asks for bytes=0-), inline or as an attachment.
func (s *Server) sauServeFile(c *gin.Context, p string, attachment bool) {
	f, err := s.sauFileByPath(c, p)
	if err != nil {
		s.sauFail(c, err)
		return
	}
	fh, err := os.Open(s.files.Path(f.StoredName))
	if errors.Is(err, os.ErrNotExist) {
		s.sauFail(c, sauErr(job.ENotFound, "File not found"))
		return
	}
	if err != nil {
		s.sauFail(c, err)
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

func (s *Server) sauGetFile(c *gin.Context) { s.sauServeFile(c, c.Query("filename"), false) }

// sauDownload is the material library's download link, which the original
// never served.
func (s *Server) sauDownload(c *gin.Context) {
	s.sauServeFile(c, strings.TrimPrefix(c.Param("file_path"), "/"), true)
}

func (s *Server) sauDeleteFile(c *gin.Context) {
	id, ok := parseSauID(c.Query("id"))
	if !ok {
		s.sauFail(c, sauErr(job.EInvalid, "Invalid or missing file ID"))
		return
	}
	f, err := s.sauFile(c.Request.Context(), id)
	if job.ErrorCode(err) == job.ENotFound {
		err = sauErr(job.ENotFound, "File not found")
	}
	if err != nil {
		s.sauFail(c, err)
		return
	}
	if _, err := s.store.DeleteFile(c.Request.Context(), f.ID); err != nil {
		if job.ErrorCode(err) == job.EConflict {
			err = sauErr(job.EConflict, "文件正被排队或进行中的发布任务使用，无法删除")
		}
		s.sauFail(c, err)
		return
	}
	if err := s.files.Remove(f.StoredName); err != nil {
		s.log.Warn("remove file content", "file_id", f.ID, "err", err)
	}
	sauOK(c, "File deleted successfully", gin.H{"id": f.Seq, "filename": f.Filename})
}

// sauFileStats is the shape of the original's (unmerged) /getFileStats.
func (s *Server) sauFileStats(c *gin.Context) {
	fs, err := s.store.SeqFiles(c.Request.Context())
	if err != nil {
		s.sauFail(c, err)
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
	recent := make([]sauFileRow, 0, 10)
	for _, f := range fs[:min(10, len(fs))] {
		recent = append(recent, s.sauFileRow(f))
	}
	sauOK(c, "success", gin.H{
		"size_stats":   gin.H{"total_files": len(fs), "total_size_mb": fmtMB(total), "avg_size_mb": avg, "max_size_mb": fmtMB(largest)},
		"recent_files": recent,
	})
}
