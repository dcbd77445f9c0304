package youtubetest

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// createReq is what Done sends.
type createReq struct {
	VideoID     string   `json:"video_id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	// Audience is the name of the audience radio chosen.
	Audience string `json:"audience"`
	// Privacy is the visibility radio chosen, PUBLIC for a scheduled video.
	Privacy string `json:"privacy"`
	// Schedule is the scheduled time in Unix seconds, 0 for now; the page
	// reads the date and time in the browser's time zone.
	Schedule    int64  `json:"schedule"`
	ThumbnailID string `json:"thumbnail_id"`
}

// Limits of the details form: title 100 (§3.8 step 2), tags 500
// characters (§3.8 step 7), description 5000 (assumed).
const (
	maxTitle       = 100
	maxDescription = 5000
	maxTagChars    = 500
)

// accept validates a video like Studio does and records it; a non-empty
// message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	now := time.Now()
	m, msg := s.Video(req.VideoID)
	title := strings.TrimSpace(req.Title)
	tagChars := utf8.RuneCountInString(strings.Join(req.Tags, ","))
	switch {
	case msg != "":
		return Post{}, msg
	case title == "":
		return Post{}, "Your video needs a title"
	case utf8.RuneCountInString(title) > maxTitle:
		return Post{}, fmt.Sprintf("The title can have up to %d characters", maxTitle)
	case utf8.RuneCountInString(req.Description) > maxDescription:
		return Post{}, fmt.Sprintf("The description can have up to %d characters", maxDescription)
	case tagChars > maxTagChars:
		return Post{}, fmt.Sprintf("Tags can have up to %d characters", maxTagChars)
	case req.Audience != "VIDEO_MADE_FOR_KIDS_MFK" && req.Audience != "VIDEO_MADE_FOR_KIDS_NOT_MFK":
		return Post{}, "Select whether your video is made for kids"
	case req.Privacy != "PUBLIC" && req.Privacy != "UNLISTED" && req.Privacy != "PRIVATE":
		return Post{}, "Choose a visibility"
	case req.Schedule != 0 && req.Privacy != "PUBLIC":
		return Post{}, "A scheduled video goes public at its time"
	}
	p := Post{
		ID:         fmt.Sprintf("fAnOuT%05d", len(s.Published())+1),
		Text:       fakesite.Text{Title: title, Description: strings.TrimSpace(req.Description), Tags: req.Tags},
		Visibility: req.Privacy, MadeForKids: req.Audience == "VIDEO_MADE_FOR_KIDS_MFK",
		Media: m, At: now,
	}
	if req.Schedule != 0 {
		p.ScheduleAt = time.Unix(req.Schedule, 0)
		if !p.ScheduleAt.After(now) {
			return Post{}, "Choose a time in the future"
		}
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.ThumbnailID); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
