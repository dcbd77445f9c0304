package fakesite

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// File is a received upload: only its hash, size and name are kept, and
// for a video when its simulated processing started and ends.
type File struct {
	SHA256  string
	Size    int64
	Name    string
	Start   time.Time
	ReadyAt time.Time
}

// progress is how far the processing of f is at now, as a fraction.
func (f *File) progress(now time.Time) (progress float64, done bool) {
	progress = 1.0
	if total := f.ReadyAt.Sub(f.Start); total > 0 && now.Before(f.ReadyAt) {
		progress = float64(now.Sub(f.Start)) / float64(total)
	}
	return progress, !now.Before(f.ReadyAt)
}

// receive streams the multipart field "file" of r through SHA-256.
func receive(r *http.Request) (*File, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("fakesite: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("fakesite: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("fakesite: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("fakesite: read upload: %w", err)
		}
		return &File{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n, Name: p.FileName()}, nil
	}
}

// StoreVideo records a received video under id; its processing is over at
// f.ReadyAt. The upload handler stores every video with it, and a test can
// put a ready or a still-processing video in place without uploading.
func (k *Kernel[P]) StoreVideo(id string, f File) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.uploads[id] = &f
}

// HandleUploads serves the upload endpoints at the platform's paths, to
// logged-in API calls only: the video (POST video), its processing (GET
// status) and the cover (POST cover).
func (k *Kernel[P]) HandleUploads(video, status, cover string) {
	k.HandleFunc("POST "+video, k.API(k.handleVideoUpload))
	k.HandleFunc("GET "+status, k.API(k.handleUploadStatus))
	k.HandleFunc("POST "+cover, k.API(k.handleCoverUpload))
}

// receiveLocked receives a multipart "file" and returns it with k.mu held,
// or answers the refusal (a bad request; an upload FailNextUpload fails:
// HTTP 500 with Texts.UploadFailed) and returns false without the lock.
func (k *Kernel[P]) receiveLocked(w http.ResponseWriter, r *http.Request) (*File, bool) {
	api := k.cfg.API
	f, err := receive(r)
	if err != nil {
		WriteJSON(w, http.StatusBadRequest, api.Fail(api.BadRequest, err.Error()))
		return nil, false
	}
	k.mu.Lock()
	if k.failUploads > 0 {
		k.failUploads--
		k.mu.Unlock()
		WriteJSON(w, http.StatusInternalServerError, api.Fail(api.ServerError, k.cfg.Texts.UploadFailed))
		return nil, false
	}
	return f, true
}

// handleVideoUpload receives a video (multipart field "file") and answers
// {API.VideoID: id, "size": n}; the processing then takes UploadDuration
// plus DelayUpload. An upload that FailNextUpload fails gets HTTP 500 with
// Texts.UploadFailed.
func (k *Kernel[P]) handleVideoUpload(w http.ResponseWriter, r *http.Request) {
	api := k.cfg.API
	f, ok := k.receiveLocked(w, r)
	if !ok {
		return
	}
	f.Start = time.Now()
	f.ReadyAt = f.Start.Add(k.opt.UploadDuration + k.delays[DelayUpload])
	id := RandomID(8)
	k.uploads[id] = f
	k.mu.Unlock()
	WriteJSON(w, http.StatusOK, api.OK(map[string]any{api.VideoID: id, "size": f.Size}))
}

// handleUploadStatus reports the simulated processing of the upload named
// by the query parameter API.VideoID as {"progress": fraction, "done":
// bool}, which the page shows as a growing percentage.
func (k *Kernel[P]) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	api := k.cfg.API
	k.mu.Lock()
	f := k.uploads[r.URL.Query().Get(api.VideoID)]
	k.mu.Unlock()
	if f == nil {
		WriteJSON(w, http.StatusOK, api.Fail(api.NotFound, k.cfg.Texts.UnknownVideo))
		return
	}
	progress, done := f.progress(time.Now())
	WriteJSON(w, http.StatusOK, api.OK(map[string]any{"progress": progress, "done": done}))
}

// handleCoverUpload receives a cover image and answers {API.CoverID: id}.
func (k *Kernel[P]) handleCoverUpload(w http.ResponseWriter, r *http.Request) {
	api := k.cfg.API
	f, err := receive(r)
	if err != nil {
		WriteJSON(w, http.StatusBadRequest, api.Fail(api.BadRequest, err.Error()))
		return
	}
	id := RandomID(8)
	k.mu.Lock()
	k.covers[id] = f
	k.mu.Unlock()
	WriteJSON(w, http.StatusOK, api.OK(map[string]string{api.CoverID: id}))
}

// Media is what every site records of a publish's files, the part of its
// Post the kernel fills in: the video's hash, size and name (Video) and the
// cover's hash (CoverSHA256). A platform's Post embeds it, so the JSON of a
// post carries these fields as its own.
type Media struct {
	VideoSHA256 string `json:"video_sha256"`
	VideoSize   int64  `json:"video_size"`
	VideoName   string `json:"video_name"`
	CoverSHA256 string `json:"cover_sha256,omitempty"`
	// Images are an image note's images in order (none for a video).
	Images []Image `json:"images,omitempty"`
}

// Video returns the Media of the video a publish names, or the platform's
// refusal when there is none or its processing has not ended.
func (k *Kernel[P]) Video(id string) (Media, string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := k.uploads[id]
	switch {
	case f == nil:
		return Media{}, k.cfg.Texts.NoVideo
	case time.Now().Before(f.ReadyAt):
		return Media{}, k.cfg.Texts.StillUploading
	}
	return Media{VideoSHA256: f.SHA256, VideoSize: f.Size, VideoName: f.Name}, ""
}

// CoverSHA256 returns the hash of the cover a publish names ("" for none),
// or the platform's refusal when the id is unknown.
func (k *Kernel[P]) CoverSHA256(id string) (sha, refusal string) {
	if id == "" {
		return "", ""
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if f := k.covers[id]; f != nil {
		return f.SHA256, ""
	}
	return "", k.cfg.Texts.NoCover
}
