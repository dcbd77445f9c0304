package kuaishoutest

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
		return nil, fmt.Errorf("kuaishoutest: multipart: %w", err)
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("kuaishoutest: no file part")
		}
		if err != nil {
			return nil, fmt.Errorf("kuaishoutest: multipart: %w", err)
		}
		if p.FormName() != "file" {
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, p)
		if err != nil {
			return nil, fmt.Errorf("kuaishoutest: read upload: %w", err)
		}
		return &upload{sha: hex.EncodeToString(h.Sum(nil)), size: n, name: p.FileName()}, nil
	}
}

func (s *Site) handleUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Result: 400, Message: err.Error()})
		return
	}
	s.mu.Lock()
	fail := s.failUploads > 0
	if fail {
		s.failUploads--
		s.mu.Unlock()
		writeJSON(w, http.StatusInternalServerError, apiResp{Result: 500, Message: "上传失败"})
		return
	}
	u.start = time.Now()
	u.readyAt = u.start.Add(s.opt.UploadDuration + s.delays[DelayUpload])
	id := randomID(8)
	s.uploads[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: map[string]any{"fileId": id, "size": u.size}})
}

// handleUploadStatus reports the simulated processing of an upload as a
// fraction, which the page shows as 上传中 N%.
func (s *Site) handleUploadStatus(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := s.uploads[r.URL.Query().Get("fileId")]
	s.mu.Unlock()
	if u == nil {
		writeJSON(w, http.StatusOK, apiResp{Result: 404, Message: "视频不存在"})
		return
	}
	now := time.Now()
	progress := 1.0
	if total := u.readyAt.Sub(u.start); total > 0 && now.Before(u.readyAt) {
		progress = float64(now.Sub(u.start)) / float64(total)
	}
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: map[string]any{"progress": progress, "done": !now.Before(u.readyAt)}})
}

func (s *Site) handleCoverUpload(w http.ResponseWriter, r *http.Request) {
	u, err := receive(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Result: 400, Message: err.Error()})
		return
	}
	id := randomID(8)
	s.mu.Lock()
	s.covers[id] = u
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: map[string]string{"coverKey": id}})
}

// submitReq is what the publish form posts.
type submitReq struct {
	FileID      string `json:"fileId"`
	Caption     string `json:"caption"`
	Declaration string `json:"declaration"`
	CoverKey    string `json:"coverKey"`
	Timing      string `json:"timing"`   // "now" or "schedule"
	Schedule    string `json:"schedule"` // YYYY-MM-DD HH:MM:SS, Beijing time
}

// tagRE finds #tags; \p{Z} because a contenteditable stores typed spaces as U+00A0.
var tagRE = regexp.MustCompile(`#([^\s\p{Z}#]+)`)

// maxTags is how many topics the real site keeps on a video.
const maxTags = 3

// splitCaption reads a caption as the site shows it: the first line is the
// title, the #tags are topics, the rest is the description.
func splitCaption(caption string) (title, desc string, tags []string) {
	caption = strings.ReplaceAll(caption, "\u00a0", " ")
	first, rest, _ := strings.Cut(strings.TrimSpace(caption), "\n")
	for _, m := range tagRE.FindAllStringSubmatch(caption, -1) {
		tags = append(tags, m[1])
	}
	title = strings.Join(strings.Fields(tagRE.ReplaceAllString(first, " ")), " ")
	desc = strings.Join(strings.Fields(tagRE.ReplaceAllString(rest, " ")), " ")
	return title, desc, tags
}

func (s *Site) handleSubmit(w http.ResponseWriter, r *http.Request) {
	var req submitReq
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiResp{Result: 400, Message: "请求格式错误"})
		return
	}
	s.sleep(r, DelaySubmit)
	post, msg := s.accept(req)
	if msg != "" {
		writeJSON(w, http.StatusOK, apiResp{Result: 2, Message: msg})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: map[string]any{"photoId": randomID(8), "title": post.Title}})
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req submitReq) (Post, string) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[req.FileID]
	title, desc, tags := splitCaption(req.Caption)
	switch {
	case u == nil:
		return Post{}, "请先上传视频"
	case now.Before(u.readyAt):
		return Post{}, "视频正在上传中，请稍后发布"
	case title == "" && desc == "":
		return Post{}, "请填写作品描述"
	case len(tags) > maxTags:
		return Post{}, fmt.Sprintf("最多添加%d个话题", maxTags)
	}
	p := Post{
		Title: title, Description: desc, Tags: tags, Caption: strings.TrimSpace(req.Caption), Declaration: req.Declaration,
		VideoSHA256: u.sha, VideoSize: u.size, VideoName: u.name, At: now,
	}
	if req.Timing == "schedule" {
		at, err := time.ParseInLocation("2006-01-02 15:04:05", strings.TrimSpace(req.Schedule), beijing)
		switch {
		case err != nil:
			return Post{}, "请选择定时发布时间"
		case at.Before(now.Add(time.Hour)):
			return Post{}, "定时发布时间需在1小时之后"
		case at.After(now.Add(14 * 24 * time.Hour)):
			return Post{}, "定时发布时间不能超过14天"
		}
		p.ScheduleAt = at
	}
	if req.CoverKey != "" {
		c := s.covers[req.CoverKey]
		if c == nil {
			return Post{}, "封面不存在，请重新上传"
		}
		p.CoverSHA256 = c.sha
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
