package bilibilitest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// cover receives a cover (§4, §10 Cover): form cover = a base64 data URL,
// csrf = bili_jct (else -111); it answers data.url.
func (s *Site) cover(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(16 << 20); err != nil && err != http.ErrNotMultipart {
		fail(w, http.StatusOK, CodeBadParams, "参数错误")
		return
	}
	if r.PostForm.Get("csrf") != csrfOf(sessionOf(r)) {
		fail(w, http.StatusOK, CodeCSRF, "CSRF 校验失败")
		return
	}
	v := r.PostForm.Get("cover")
	i := strings.Index(v, ";base64,")
	if !strings.HasPrefix(v, "data:image/") || i < 0 {
		fail(w, http.StatusOK, CodeBadParams, "封面格式错误")
		return
	}
	img, err := base64.StdEncoding.DecodeString(v[i+len(";base64,"):])
	if err != nil || len(img) == 0 {
		fail(w, http.StatusOK, CodeBadParams, "封面格式错误")
		return
	}
	sum := sha256.Sum256(img)
	sha := hex.EncodeToString(sum[:])
	url := "https://i0.hdslb.com/bfs/archive/" + sha[:40] + ".jpg"
	s.mu.Lock()
	s.covers[url] = sha
	s.mu.Unlock()
	ok(w, map[string]string{"url": url})
}

// studio is the submission body (§5.2).
type studio struct {
	Copyright int    `json:"copyright"`
	TID       int    `json:"tid"`
	Cover     string `json:"cover"`
	Title     string `json:"title"`
	Desc      string `json:"desc"`
	Tag       string `json:"tag"`
	Videos    []struct {
		Title    string `json:"title"`
		Filename string `json:"filename"`
	} `json:"videos"`
	Dtime *int64 `json:"dtime"`
}

// appAdd is the app submit (§5.1 App): a query signed with the BiliTV key
// carrying a live access_key, no cookies needed.
func (s *Site) appAdd(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !signed(q) {
		fail(w, http.StatusOK, -3, "API校验密匙错误")
		return
	}
	if s.tokenOf(q.Get("access_key")) == nil {
		fail(w, http.StatusOK, CodeNotLoggedIn, "账号未登录")
		return
	}
	s.submit(w, r, "app")
}

// webAdd is the web submit (§5.1 Web): cookies and csrf = bili_jct.
func (s *Site) webAdd(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("csrf") != csrfOf(sessionOf(r)) {
		fail(w, http.StatusOK, CodeCSRF, "CSRF 校验失败")
		return
	}
	s.submit(w, r, "web")
}

// submit checks the Studio JSON (§10 Submit: title 1–80 characters, a
// non-empty tag, tid > 0, copyright 1 or 2, the videos' filenames the
// completed uploads', dtime null or within the window) and records the
// post. The dtime window is 2 h–15 d, as users and renmu123/biliAPI#3
// report it in 2025 (§5.3; the reference's inferred 4 h is the stricter
// older message). Knobs: FailSubmit's code, RejectNext.
func (s *Site) submit(w http.ResponseWriter, r *http.Request, via string) {
	var b studio
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, &b)
	}
	if err != nil {
		fail(w, http.StatusOK, CodeBadParams, "请求错误")
		return
	}
	s.Sleep(r, fakesite.DelaySubmit)
	s.mu.Lock()
	code := s.submitCode
	s.submitCode = 0
	coverSHA, coverOK := s.covers[b.Cover]
	s.mu.Unlock()
	tags := strings.Split(b.Tag, ",")
	now := time.Now()
	switch code {
	case CodeRiskControl:
		fail(w, http.StatusOK, code, "投稿过于频繁，建议将APP升级至最新版本后再试")
		return
	case CodeTooFrequent:
		fail(w, http.StatusOK, code, "投稿过于频繁，请稍后再试")
		return
	}
	switch {
	case b.Title == "" || utf8.RuneCountInString(b.Title) > 80:
		fail(w, http.StatusOK, CodeTitle, "稿件标题过长")
		return
	case b.Tag == "" || len(tags) > 12 || anyLonger(tags, 20):
		fail(w, http.StatusOK, CodeTags, "Tag不能为空，总数量不能超过12个，并且单个不能超过20个字")
		return
	case b.TID <= 0 || (b.Copyright != 1 && b.Copyright != 2) || len(b.Videos) != 1 || (b.Cover != "" && !coverOK):
		fail(w, http.StatusOK, CodeBadParams, "参数错误")
		return
	case b.Dtime != nil && (time.Unix(*b.Dtime, 0).Before(now.Add(2*time.Hour-time.Minute)) || time.Unix(*b.Dtime, 0).After(now.Add(15*24*time.Hour))):
		fail(w, http.StatusOK, CodeDtime, "发布时间离当前时间必须≥2小时且≤15天")
		return
	}
	media, refusal := s.Video(b.Videos[0].Filename)
	if refusal != "" {
		fail(w, http.StatusOK, CodeBadParams, "视频不存在")
		return
	}
	media.CoverSHA256 = coverSHA
	s.mu.Lock()
	s.nextAid++
	aid := s.nextAid
	s.mu.Unlock()
	p := Post{Text: fakesite.Text{Title: b.Title, Description: b.Desc, Tags: tags}, Media: media, TID: b.TID, Cover: b.Cover,
		Copyright: b.Copyright, Filename: b.Videos[0].Filename, Via: via, Aid: aid, Bvid: "BV1fake" + fakesite.RandomID(5), At: now}
	if b.Dtime != nil {
		p.ScheduleAt = time.Unix(*b.Dtime, 0)
	}
	if reason := s.Record(p); reason != "" {
		fail(w, http.StatusOK, CodeRejected, reason)
		return
	}
	ok(w, map[string]any{"aid": p.Aid, "bvid": p.Bvid})
}

func anyLonger(tags []string, n int) bool {
	for _, t := range tags {
		if t == "" || utf8.RuneCountInString(t) > n {
			return true
		}
	}
	return false
}

// archives lists the member's archives, newest first, in
// data.arc_audits[].Archive (assumed: not in the reference; the shape
// public clients of the member center read).
func (s *Site) archives(w http.ResponseWriter, r *http.Request) {
	posts := s.Published()
	list := make([]any, 0, len(posts))
	for i := len(posts) - 1; i >= 0; i-- {
		p := posts[i]
		list = append(list, map[string]any{"Archive": map[string]any{"aid": p.Aid, "bvid": p.Bvid, "title": p.Title,
			"tag": strings.Join(p.Tags, ","), "ptime": p.At.Unix(), "state": -30, "state_desc": "审核中"}})
	}
	ok(w, map[string]any{"arc_audits": list, "page": map[string]int{"pn": 1, "ps": len(list), "count": len(list)}})
}
