package weibotest

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// publishReq is what the publish form posts (field names assumed).
type publishReq struct {
	MediaID     string `json:"media_id"`
	Title       string `json:"title"`
	Content     string `json:"content"`
	Declaration string `json:"declaration"`
	Collection  string `json:"collection"`
	CoverPID    string `json:"cover_pid"`
}

// Limits and refusals. The 30-character title is the placeholder's
// (§3.9 step 6); a cover is mandatory (§3.9 step 7; the tool refuses to
// start without one, W:331-332). The wording of the refusals is assumed.
const (
	maxTitle      = 30
	textNoTitle   = "请填写标题"
	textLongTitle = "标题不能超过30个字"
	textNoCover   = "请上传封面"
)

// topicRE finds Weibo's #topic# form (§3.9 step 9: tags as #t1# #t2#).
var topicRE = regexp.MustCompile(`#([^#\s]+)#`)

// splitContent reads the description box: its #topic#s are the tags, the
// rest (white space folded) the description.
func splitContent(content string) (desc string, tags []string) {
	for _, m := range topicRE.FindAllStringSubmatch(content, -1) {
		tags = append(tags, m[1])
	}
	return strings.Join(strings.Fields(topicRE.ReplaceAllString(content, " ")), " "), tags
}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req publishReq) (Post, string) {
	m, msg := s.Video(req.MediaID)
	title := strings.TrimSpace(req.Title)
	switch {
	case msg != "":
		return Post{}, msg
	case title == "":
		return Post{}, textNoTitle
	case utf8.RuneCountInString(title) > maxTitle:
		return Post{}, textLongTitle
	case req.CoverPID == "":
		return Post{}, textNoCover
	}
	desc, tags := splitContent(req.Content)
	p := Post{
		Text:    fakesite.Text{Title: title, Description: desc, Tags: tags},
		Caption: strings.TrimSpace(req.Content), Declaration: req.Declaration, Collection: req.Collection,
		Media: m, At: time.Now(),
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverPID); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
