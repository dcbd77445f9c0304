package xiaohongshutest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// noteReq is what the note form posts.
type noteReq struct {
	FileID string `json:"file_id"`
	// ImageIDs make the note an image note (图文) of these images in order.
	ImageIDs     []string `json:"image_ids"`
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
	// maxNoteImages is how many images an image note takes (assumed).
	maxNoteImages = 18
)

// schedule is the site's 定时发布 rule.
var schedule = fakesite.Schedule{
	Layout: "2006-01-02 15:04", Min: time.Hour, Max: 14 * 24 * time.Hour,
	Unparsed: "请选择正确的发布时间", TooSoon: "定时发布时间需在1小时之后", TooLate: "定时发布时间不能超过14天",
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req noteReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.FileID)
	if len(req.ImageIDs) > 0 {
		// An image note (§3.4 "Image note"); 18 images is the site's
		// ceiling as note-publishing tools state it (assumed).
		m = fakesite.Media{}
		m.Images, msg = s.Images(req.ImageIDs, maxNoteImages, "最多上传18张图片")
	}
	title := strings.TrimSpace(req.Title)
	desc := strings.Join(strings.Fields(req.Desc), " ")
	switch {
	case msg != "":
		return Post{}, msg
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
		Text:        fakesite.Text{Title: title, Description: desc, Tags: req.Topics},
		Declaration: req.Declaration, RepostSource: req.RepostSource,
		Media: m, At: now,
	}
	if req.PostTime != "" {
		if p.ScheduleAt, msg = schedule.Parse(req.PostTime, now); msg != "" {
			return Post{}, msg
		}
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverID); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
