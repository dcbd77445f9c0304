package channelstest

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
		return nil, fmt.Errorf("channelstest: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("channelstest: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("channelstest: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("channelstest: read upload: %w", err)
		}
		return &upload{sha: hex.EncodeToString(h.Sum(nil)), size: n, name: p.FileName()}, nil
	}
}

func (s *Site) handleUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{ErrCode: 1, ErrMsg: err.Error()})
		return
	}
	s.mu.Lock()
	fail := s.failUploads > 0
	if fail {
		s.failUploads--
		s.mu.Unlock()
		writeJSON(w, http.StatusInternalServerError, apiResp{ErrCode: 500, ErrMsg: "上传失败"})
		return
	}
	u.start = time.Now()
	u.readyAt = u.start.Add(s.opt.UploadDuration + s.delays[DelayUpload])
	id := randomID(8)
	s.uploads[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"media_id": id, "size": u.size}})
}

// handleUploadStatus reports the simulated processing of an upload as a
// fraction, which the form shows as 上传中 N%.
func (s *Site) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.uploads[r.URL.Query().Get("media_id")]
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, http.StatusOK, apiResp{ErrCode: 4, ErrMsg: "视频不存在"})
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
		writeJSON(w, http.StatusBadRequest, apiResp{ErrCode: 1, ErrMsg: err.Error()})
		return
	}
	id := randomID(8)
	s.mu.Lock()
	s.covers[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]string{"cover_id": id}})
}

// createReq is what the publish form posts.
type createReq struct {
	MediaID     string `json:"media_id"`
	Description string `json:"description"` // the editor's text: title, #tags, text
	ShortTitle  string `json:"short_title"`
	Label       string `json:"label"`
	CoverID     string `json:"cover_id"`
	// Schedule is the 定时 time in Unix seconds, 0 for now; the form
	// computes it from the picker in the browser's time zone.
	Schedule int64 `json:"schedule"`
	Draft    bool  `json:"draft"`
}

// tagRE finds #tags; \p{Z} because a contenteditable stores typed spaces as U+00A0.
var tagRE = regexp.MustCompile(`#([^\s\p{Z}#]+)`)

// splitDescription separates the editor's text into the first line (the
// title), the #tags and the remaining text.
func splitDescription(text string) (title, desc string, tags []string) {
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
		writeJSON(w, http.StatusBadRequest, apiResp{ErrCode: 1, ErrMsg: "请求格式错误"})
		return
	}
	s.sleep(r, DelaySubmit)
	post, msg := s.accept(req)
	if msg != "" {
		writeJSON(w, http.StatusOK, apiResp{ErrCode: 2, ErrMsg: msg})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"object_id": randomID(8), "title": post.Title}})
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[req.MediaID]
	title, desc, tags := splitDescription(req.Description)
	short := strings.TrimSpace(req.ShortTitle)
	switch n := utf8.RuneCountInString(short); {
	case u == nil:
		return Post{}, "请先上传视频"
	case now.Before(u.readyAt):
		return Post{}, "视频还在上传中，请稍后发表"
	case title == "":
		return Post{}, "请填写视频描述"
	case utf8.RuneCountInString(req.Description) > 1000:
		return Post{}, "视频描述最多1000个字"
	case n < 6 || n > 16:
		return Post{}, "短标题需为6-16个字"
	}
	p := Post{
		Title: title, Description: desc, Tags: tags, ShortTitle: short, Declaration: req.Label,
		Draft: req.Draft, VideoSHA256: u.sha, VideoSize: u.size, VideoName: u.name, At: now,
	}
	if req.Schedule != 0 {
		at := time.Unix(req.Schedule, 0)
		switch {
		case req.Draft:
			return Post{}, "草稿不能定时发表"
		case at.Before(now.Add(2*time.Hour - 2*time.Minute)):
			return Post{}, "定时发表时间需在2小时之后"
		}
		p.ScheduleAt = at
	}
	if req.CoverID != "" {
		c := s.covers[req.CoverID]
		if c == nil {
			return Post{}, "封面不存在，请重新上传"
		}
		p.CoverSHA256 = c.sha
	}
	if s.rejectNext != nil {
		reason := *s.rejectNext
		s.rejectNext = nil
		if reason == "" {
			reason = "内容违反《视频号运营规范》，发表失败"
		}
		return Post{}, reason
	}
	s.posts = append(s.posts, p)
	s.manageDelayDue = true
	return p, ""
}
