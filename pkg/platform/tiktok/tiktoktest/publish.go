package tiktoktest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// upload is a received file: only its hash and size are kept.
type upload struct {
	sha     string
	size    int64
	name    string
	start   time.Time
	readyAt time.Time
}

// receive streams the multipart field "file" of r through SHA-256.
func receive(r *http.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("tiktoktest: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("tiktoktest: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("tiktoktest: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("tiktoktest: read upload: %w", err)
		}
		return &upload{sha: hex.EncodeToString(h.Sum(nil)), size: n, name: p.FileName()}, nil
	}
}

func (s *Site) handleUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{StatusCode: 1, StatusMsg: err.Error()})
		return
	}
	s.mu.Lock()
	fail := s.failUploads > 0
	if fail {
		s.failUploads--
		s.mu.Unlock()
		writeJSON(w, http.StatusInternalServerError, apiResp{StatusCode: 500, StatusMsg: "Couldn't upload"})
		return
	}
	u.start = time.Now()
	u.readyAt = u.start.Add(s.opt.UploadDuration + s.delays[DelayUpload])
	id := randomID(8)
	s.uploads[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"video_id": id, "size": u.size}})
}

// handleUploadStatus reports the simulated processing of an upload as a
// fraction, which the page shows as a percentage.
func (s *Site) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.uploads[r.URL.Query().Get("video_id")]
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 4, StatusMsg: "Video not found"})
		return
	}
	now := time.Now()
	progress := 1.0
	if total := u.readyAt.Sub(u.start); total > 0 && now.Before(u.readyAt) {
		progress = float64(now.Sub(u.start)) / float64(total)
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"progress": progress, "done": !now.Before(u.readyAt)}})
}

func (s *Site) handleCoverUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{StatusCode: 1, StatusMsg: err.Error()})
		return
	}
	id := randomID(8)
	s.mu.Lock()
	s.covers[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]string{"cover_id": id}})
}

// createReq is what the post form sends.
type createReq struct {
	VideoID string `json:"video_id"`
	Caption string `json:"caption"` // the editor's text: title, description, #hashtags
	CoverID string `json:"cover_id"`
	// AIGC is the "AI-generated content" switch; Disclose the options
	// ticked under "Disclose post content" (nil when it is off).
	AIGC     bool     `json:"aigc"`
	Disclose []string `json:"disclose"`
	// Schedule is the scheduled time in Unix seconds, 0 for now; the page
	// computes it from the pickers in the browser's time zone.
	Schedule int64 `json:"schedule"`
}

// tagRE finds #hashtags; \p{Z} because a contenteditable stores typed spaces as U+00A0.
var tagRE = regexp.MustCompile(`#([^\s\p{Z}#]+)`)

// splitCaption separates the caption into the first line (the title), the
// #hashtags and the remaining text.
func splitCaption(text string) (title, desc string, tags []string) {
	text = strings.ReplaceAll(text, "\u00a0", " ")
	first, rest, _ := strings.Cut(strings.TrimSpace(text), "\n")
	for _, m := range tagRE.FindAllStringSubmatch(rest, -1) {
		tags = append(tags, m[1])
	}
	desc = strings.Join(strings.Fields(tagRE.ReplaceAllString(rest, " ")), " ")
	return strings.TrimSpace(first), desc, tags
}

func (s *Site) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req createReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{StatusCode: 1, StatusMsg: "Bad request"})
		return
	}
	s.sleep(r, DelaySubmit)
	post, msg := s.accept(req)
	if msg != "" {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 2, StatusMsg: msg})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"item_id": post.ID}})
}

// accept validates a post like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[req.VideoID]
	title, desc, tags := splitCaption(req.Caption)
	switch {
	case u == nil:
		return Post{}, "Upload a video first"
	case now.Before(u.readyAt):
		return Post{}, "Your video is still uploading"
	case title == "":
		return Post{}, "Add a description"
	case utf8.RuneCountInString(req.Caption) > 2200:
		return Post{}, "The description can have up to 2200 characters"
	case req.Disclose != nil && len(req.Disclose) == 0:
		return Post{}, "Select your brand, branded content or both"
	}
	var decl []string
	if req.AIGC {
		decl = append(decl, "AI-generated content")
	}
	decl = append(decl, req.Disclose...)
	p := Post{
		ID: fmt.Sprint(7_000_000_000_000_000_000 + len(s.posts) + 1), Title: title, Description: desc, Tags: tags,
		Declaration: strings.Join(decl, ", "), VideoSHA256: u.sha, VideoSize: u.size, VideoName: u.name, At: now,
	}
	if req.Schedule != 0 {
		at := time.Unix(req.Schedule, 0)
		switch {
		case at.Before(now.Add(15 * time.Minute)):
			return Post{}, "Schedule at least 15 minutes ahead"
		case at.After(now.Add(10 * 24 * time.Hour)):
			return Post{}, "Schedule at most 10 days ahead"
		case at.Unix()%300 != 0:
			return Post{}, "Choose a time in 5-minute steps"
		}
		p.ScheduleAt = at
	}
	if req.CoverID != "" {
		c := s.covers[req.CoverID]
		if c == nil {
			return Post{}, "Cover not found, upload it again"
		}
		p.CoverSHA256 = c.sha
	}
	if s.rejectNext != nil {
		reason := *s.rejectNext
		s.rejectNext = nil
		if reason == "" {
			reason = "This post violates our Community Guidelines"
		}
		return Post{}, reason
	}
	s.posts = append(s.posts, p)
	s.manageDelayDue = true
	return p, ""
}
