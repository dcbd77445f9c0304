package channelstest

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// createReq is what the publish form posts.
type createReq struct {
	MediaID     string `json:"media_id"`
	Description string `json:"description"` // the editor's text: title, #tags, text
	ShortTitle  string `json:"short_title"`
	Label       string `json:"label"`
	Collection  string `json:"collection"`
	CoverID     string `json:"cover_id"`           // the 3:4 card
	LandscapeID string `json:"cover_landscape_id"` // the 4:3 feed cover
	// Schedule is the 定时 time in Unix seconds, 0 for now; the form
	// computes it from the picker in the browser's time zone.
	Schedule int64 `json:"schedule"`
	Draft    bool  `json:"draft"`
}

// schedule is the site's 定时 rule, with no limit ahead.
var schedule = fakesite.Schedule{Min: 2*time.Hour - 2*time.Minute, TooSoon: "定时发表时间需在2小时之后"}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user. The short title may
// be empty: the reference skips it when the form has none (T:690-693), so
// it is not required (assumed).
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.MediaID)
	text := fakesite.Caption(req.Description)
	short := strings.TrimSpace(req.ShortTitle)
	switch n := utf8.RuneCountInString(short); {
	case msg != "":
		return Post{}, msg
	case text.Title == "":
		return Post{}, "请填写视频描述"
	case utf8.RuneCountInString(req.Description) > 1000:
		return Post{}, "视频描述最多1000个字"
	case n > 0 && (n < 6 || n > 16):
		return Post{}, "短标题需为6-16个字"
	case req.Collection != "" && !slices.Contains(Collections, req.Collection):
		return Post{}, "合集不存在"
	}
	p := Post{
		Text: text, ShortTitle: short, Declaration: req.Label, Collection: req.Collection,
		Draft: req.Draft, Media: m, At: now,
	}
	if req.Schedule != 0 {
		if req.Draft {
			return Post{}, "草稿不能定时发表"
		}
		p.ScheduleAt = time.Unix(req.Schedule, 0)
		if msg := schedule.Check(p.ScheduleAt, now); msg != "" {
			return Post{}, msg
		}
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverID); msg != "" {
		return Post{}, msg
	}
	if p.CoverLandscapeSHA256, msg = s.CoverSHA256(req.LandscapeID); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
