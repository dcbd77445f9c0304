package douyintest

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
		return nil, fmt.Errorf("douyintest: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("douyintest: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("douyintest: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("douyintest: read upload: %w", err)
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
	}
	if !fail {
		u.start = time.Now()
		u.readyAt = u.start.Add(s.opt.UploadDuration + s.delays[DelayUpload])
		id := randomID(8)
		s.uploads[id] = u
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"video_id": id, "size": u.size}})
		return
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusInternalServerError, apiResp{StatusCode: 500, StatusMsg: "上传失败"})
}

// handleUploadStatus reports the simulated processing of an upload as a
// fraction, which the page shows as 上传中 N%.
func (s *Site) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.uploads[r.URL.Query().Get("video_id")]
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 4, StatusMsg: "视频不存在"})
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

// createReq is what the publish form posts.
type createReq struct {
	VideoID      string `json:"video_id"`
	Title        string `json:"title"`
	Text         string `json:"text"`
	Declaration  string `json:"declaration"`
	CoverID      string `json:"cover_id"`
	Timing       string `json:"timing"`   // "now" or "schedule"
	Schedule     string `json:"schedule"` // YYYY-MM-DD HH:MM, Beijing time
	ProductLink  string `json:"product_link"`
	ProductTitle string `json:"product_title"`
}

// tagRE finds #tags; \p{Z} because a contenteditable stores typed spaces as U+00A0.
var tagRE = regexp.MustCompile(`#([^\s\p{Z}#]+)`)

// splitTags separates the #tags typed into the description from the text.
func splitTags(text string) (desc string, tags []string) {
	for _, m := range tagRE.FindAllStringSubmatch(text, -1) {
		tags = append(tags, m[1])
	}
	desc = strings.Join(strings.Fields(tagRE.ReplaceAllString(text, " ")), " ")
	return desc, tags
}

func (s *Site) handleCreate(w http.ResponseWriter, r *http.Request) {
	var req createReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{StatusCode: 1, StatusMsg: "请求格式错误"})
		return
	}
	s.sleep(r, DelaySubmit)
	post, msg := s.accept(req)
	if msg != "" {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 2, StatusMsg: msg})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"item_id": randomID(8), "title": post.Title}})
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[req.VideoID]
	title := strings.TrimSpace(req.Title)
	switch {
	case u == nil:
		return Post{}, "请先上传视频"
	case now.Before(u.readyAt):
		return Post{}, "视频还在上传中，请稍后发布"
	case title == "":
		return Post{}, "请填写作品标题"
	case utf8.RuneCountInString(title) > 30:
		return Post{}, "作品标题最多30个字"
	case req.Declaration == "":
		return Post{}, "请添加自主声明"
	}
	desc, tags := splitTags(req.Text)
	p := Post{
		Title: title, Description: desc, Tags: tags, Declaration: req.Declaration,
		VideoSHA256: u.sha, VideoSize: u.size, VideoName: u.name,
		ProductLink: req.ProductLink, ProductTitle: req.ProductTitle, At: now,
	}
	if req.Timing == "schedule" {
		at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(req.Schedule), beijing)
		switch {
		case err != nil:
			return Post{}, "请选择定时发布时间"
		case at.Before(now.Add(2*time.Hour - 2*time.Minute)):
			return Post{}, "定时发布时间需在2小时之后"
		case at.After(now.Add(14 * 24 * time.Hour)):
			return Post{}, "定时发布时间不能超过14天"
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
	if req.ProductLink != "" && req.ProductTitle == "" {
		return Post{}, "请填写商品短标题"
	}
	if s.rejectNext != nil {
		reason := *s.rejectNext
		s.rejectNext = nil
		if reason == "" {
			reason = "作品内容违反社区规范，发布失败"
		}
		return Post{}, reason
	}
	s.posts = append(s.posts, p)
	s.manageDelayDue = true
	return p, ""
}
