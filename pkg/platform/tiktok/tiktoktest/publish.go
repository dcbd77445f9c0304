package tiktoktest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

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

// schedule is the site's rule for a scheduled post, besides its 5-minute
// steps.
var schedule = fakesite.Schedule{
	Min: 15 * time.Minute, Max: 10 * 24 * time.Hour,
	TooSoon: "Schedule at least 15 minutes ahead", TooLate: "Schedule at most 10 days ahead",
}

// accept validates a post like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.VideoID)
	text := fakesite.Caption(req.Caption)
	switch {
	case msg != "":
		return Post{}, msg
	case text.Title == "":
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
		ID: fmt.Sprint(7_000_000_000_000_000_000 + len(s.Published()) + 1), Text: text,
		Declaration: strings.Join(decl, ", "), Media: m, At: now,
	}
	if req.Schedule != 0 {
		p.ScheduleAt = time.Unix(req.Schedule, 0)
		if msg := schedule.Check(p.ScheduleAt, now); msg != "" {
			return Post{}, msg
		}
		if p.ScheduleAt.Unix()%300 != 0 {
			return Post{}, "Choose a time in 5-minute steps"
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
