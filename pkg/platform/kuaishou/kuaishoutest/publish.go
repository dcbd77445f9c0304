package kuaishoutest

import (
	"fmt"
	"strings"
	"time"

	"fanout/pkg/platform/fakesite"
)

// submitReq is what the publish form posts.
type submitReq struct {
	FileID string `json:"fileId"`
	// PhotoIDs make the post an image note (图文) of these images in order.
	PhotoIDs []string `json:"photoIds"`
	Caption  string   `json:"caption"`
	// Topics are the topics the editor formed (chips), which the form
	// sends apart from the caption's text; a #word typed as plain text is
	// no topic there. Nil (a body without the field) reads the caption's
	// #words as topics instead, for requests made without the form.
	Topics      []string `json:"topics"`
	Declaration string   `json:"declaration"`
	// Collection is the 加入合集 chosen, by name.
	Collection string `json:"collection"`
	CoverKey   string `json:"coverKey"`
	Timing     string `json:"timing"`   // "now" or "schedule"
	Schedule   string `json:"schedule"` // YYYY-MM-DD HH:MM:SS, Beijing time
}

// maxTags is how many topics the real site keeps on a video.
const maxTags = 3

// maxNoteImages is how many images an image note takes (assumed).
const maxNoteImages = 18

// splitCaption reads a caption as the site shows it: the first line is the
// title, the #tags (on any line) are topics, the rest is the description.
func splitCaption(caption string) fakesite.Text {
	first, rest := fakesite.FirstLine(caption)
	title, tags := fakesite.SplitTags(first)
	desc, more := fakesite.SplitTags(rest)
	return fakesite.Text{Title: title, Description: desc, Tags: append(tags, more...)}
}

// captionWithTopics reads a caption the form sent with its topics apart:
// the first line is the title, the rest the description, #words and all.
func captionWithTopics(caption string, topics []string) fakesite.Text {
	first, rest := fakesite.FirstLine(caption)
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	return fakesite.Text{Title: fold(first), Description: fold(rest), Tags: topics}
}

// schedule is the site's 定时发布 rule.
var schedule = fakesite.Schedule{
	Layout: "2006-01-02 15:04:05", Min: time.Hour, Max: 14 * 24 * time.Hour,
	Unparsed: "请选择定时发布时间", TooSoon: "定时发布时间需在1小时之后", TooLate: "定时发布时间不能超过14天",
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req submitReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.FileID)
	if len(req.PhotoIDs) > 0 {
		// An image note (§3.3 "Image note"); the ceiling is Fanout's
		// assumed 18 (no working tool states the site's).
		m = fakesite.Media{}
		m.Images, msg = s.Images(req.PhotoIDs, maxNoteImages, "最多上传18张图片")
	}
	text := splitCaption(req.Caption)
	if req.Topics != nil {
		text = captionWithTopics(req.Caption, req.Topics)
	}
	switch {
	case msg != "":
		return Post{}, msg
	case text.Title == "" && text.Description == "":
		return Post{}, "请填写作品描述"
	case len(text.Tags) > maxTags:
		return Post{}, fmt.Sprintf("最多添加%d个话题", maxTags)
	}
	p := Post{
		Text: text, Caption: strings.TrimSpace(req.Caption), Declaration: req.Declaration, Collection: req.Collection,
		Media: m, At: now,
	}
	if req.Timing == "schedule" {
		if p.ScheduleAt, msg = schedule.Parse(req.Schedule, now); msg != "" {
			return Post{}, msg
		}
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverKey); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
