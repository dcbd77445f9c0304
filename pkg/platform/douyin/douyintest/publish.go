package douyintest

import (
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

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

// schedule is the site's 定时发布 rule.
var schedule = fakesite.Schedule{
	Layout: "2006-01-02 15:04", Min: 2*time.Hour - 2*time.Minute, Max: 14 * 24 * time.Hour,
	Unparsed: "请选择定时发布时间", TooSoon: "定时发布时间需在2小时之后", TooLate: "定时发布时间不能超过14天",
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.VideoID)
	title := strings.TrimSpace(req.Title)
	switch {
	case msg != "":
		return Post{}, msg
	case title == "":
		return Post{}, "请填写作品标题"
	case utf8.RuneCountInString(title) > 30:
		return Post{}, "作品标题最多30个字"
	case req.Declaration == "":
		return Post{}, "请添加自主声明"
	}
	desc, tags := fakesite.SplitTags(req.Text)
	p := Post{
		Text: fakesite.Text{Title: title, Description: desc, Tags: tags}, Declaration: req.Declaration, Media: m,
		ProductLink: req.ProductLink, ProductTitle: req.ProductTitle, At: now,
	}
	if req.Timing == "schedule" {
		if p.ScheduleAt, msg = schedule.Parse(req.Schedule, now); msg != "" {
			return Post{}, msg
		}
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverID); msg != "" {
		return Post{}, msg
	}
	if req.ProductLink != "" && req.ProductTitle == "" {
		return Post{}, "请填写商品短标题"
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
