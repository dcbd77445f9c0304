package xiaohongshutest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
		return nil, fmt.Errorf("xiaohongshutest: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("xiaohongshutest: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("xiaohongshutest: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("xiaohongshutest: read upload: %w", err)
		}
		return &upload{sha: hex.EncodeToString(h.Sum(nil)), size: n, name: p.FileName()}, nil
	}
}

func (s *Site) handleUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Code: 400, Msg: err.Error()})
		return
	}
	s.mu.Lock()
	if s.failUploads > 0 {
		s.failUploads--
		s.mu.Unlock()
		writeJSON(w, http.StatusInternalServerError, apiResp{Code: 500, Msg: "上传失败"})
		return
	}
	u.start = time.Now()
	u.readyAt = u.start.Add(s.opt.UploadDuration + s.delays[DelayUpload])
	id := randomID(8)
	s.uploads[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, ok(map[string]any{"file_id": id, "size": u.size}))
}

// handleUploadStatus reports the simulated processing of an upload as a
// fraction, which the page shows as 上传中 N%.
func (s *Site) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.uploads[r.URL.Query().Get("file_id")]
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, http.StatusOK, apiResp{Code: 404, Msg: "视频不存在"})
		return
	}
	now := time.Now()
	progress := 1.0
	if total := u.readyAt.Sub(u.start); total > 0 && now.Before(u.readyAt) {
		progress = float64(now.Sub(u.start)) / float64(total)
	}
	writeJSON(w, http.StatusOK, ok(map[string]any{"progress": progress, "done": !now.Before(u.readyAt)}))
}

func (s *Site) handleCoverUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Code: 400, Msg: err.Error()})
		return
	}
	id := randomID(8)
	s.mu.Lock()
	s.covers[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, ok(map[string]string{"file_id": id}))
}

// noteReq is what the note form posts.
type noteReq struct {
	FileID       string   `json:"file_id"`
	Title        string   `json:"title"`
	Desc         string   `json:"desc"`
	Topics       []string `json:"topics"`
	Declaration  string   `json:"declaration"`
	RepostSource string   `json:"repost_source"`
	CoverID      string   `json:"cover_id"`
	PostTime     string   `json:"post_time"` // YYYY-MM-DD HH:MM, Beijing time; "" publishes now
}

// Limits the real site enforces.
const (
	maxTitle = 20
	maxTags  = 10
	maxDesc  = 1000
)

func (s *Site) handleNote(w http.ResponseWriter, r *http.Request) {
	var req noteReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Code: 400, Msg: "请求格式错误"})
		return
	}
	s.sleep(r, DelaySubmit)
	post, msg := s.accept(req)
	if msg != "" {
		writeJSON(w, http.StatusOK, apiResp{Code: -1, Msg: msg})
		return
	}
	writeJSON(w, http.StatusOK, ok(map[string]any{"id": randomID(12), "title": post.Title}))
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req noteReq) (Post, string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[req.FileID]
	title := strings.TrimSpace(req.Title)
	desc := strings.Join(strings.Fields(req.Desc), " ")
	switch {
	case u == nil:
		return Post{}, "请上传视频"
	case now.Before(u.readyAt):
		return Post{}, "视频上传中，请稍后再试"
	case title == "":
		return Post{}, "请填写标题"
	case utf8.RuneCountInString(title) > maxTitle:
		return Post{}, fmt.Sprintf("标题最多输入%d字", maxTitle)
	case len(req.Topics) > maxTags:
		return Post{}, fmt.Sprintf("最多添加%d个话题", maxTags)
	case utf8.RuneCountInString(desc) > maxDesc:
		return Post{}, fmt.Sprintf("正文最多输入%d字", maxDesc)
	}
	p := Post{
		Title: title, Description: desc, Tags: req.Topics, Declaration: req.Declaration, RepostSource: req.RepostSource,
		VideoSHA256: u.sha, VideoSize: u.size, VideoName: u.name, At: now,
	}
	if req.PostTime != "" {
		at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(req.PostTime), beijing)
		switch {
		case err != nil:
			return Post{}, "请选择正确的发布时间"
		case at.Before(now.Add(time.Hour)):
			return Post{}, "定时发布时间需在1小时之后"
		case at.After(now.Add(14 * 24 * time.Hour)):
			return Post{}, "定时发布时间不能超过14天"
		}
		p.ScheduleAt = at
	}
	if req.CoverID != "" {
		c := s.covers[req.CoverID]
		if c == nil {
			return Post{}, "封面上传失败，请重新上传"
		}
		p.CoverSHA256 = c.sha
	}
	if s.rejectNext != nil {
		reason := *s.rejectNext
		s.rejectNext = nil
		if reason == "" {
			reason = "笔记内容违反社区规范，发布失败"
		}
		return Post{}, reason
	}
	s.posts = append(s.posts, p)
	s.manageDelayDue = true
	return p, ""
}
