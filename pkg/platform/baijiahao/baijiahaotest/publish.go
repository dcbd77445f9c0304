package baijiahaotest

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// publishReq is what the publish form posts.
type publishReq struct {
	VideoID string `json:"video_id"`
	Title   string `json:"title"`
	// CoverKey is the cover uploaded through 选择封面 and confirmed;
	// AutoCover says the site's own cover is shown instead.
	CoverKey    string `json:"cover_key"`
	AutoCover   bool   `json:"auto_cover"`
	Declaration string `json:"declaration"`
	Collection  string `json:"collection"`
}

// Title bounds: the site refuses fewer than 9 characters (hence the
// reference uploader's padding, B:_fill_title) and keeps 30.
const (
	minTitle = 9
	maxTitle = 30
)

// Declarations are the 创作声明 the modal offers: 含AI生成内容 is the
// reference's (B:_check_ai_declaration); the others are assumed.
var Declarations = []string{"含AI生成内容", "内容取材网络", "个人观点，仅供参考", "虚构演绎，仅供娱乐", "含有危险行为，请勿模仿"}

// Collections are the account's 合集 (assumed).
var Collections = []string{"旅行日记", "美食探店", "Fanout合集"}

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req publishReq) (Post, string) {
	m, msg := s.Video(req.VideoID)
	title := strings.TrimSpace(req.Title)
	n := utf8.RuneCountInString(title)
	switch {
	case msg != "":
		return Post{}, msg
	case n < minTitle || n > maxTitle:
		return Post{}, fmt.Sprintf("标题需要%d-%d个字", minTitle, maxTitle)
	case req.CoverKey == "" && !req.AutoCover:
		// The cover is mandatory (platform-flows.md §3.7 step 4).
		return Post{}, "请选择封面"
	case req.Declaration != "" && !slices.Contains(Declarations, req.Declaration):
		return Post{}, "请选择正确的创作声明"
	case req.Collection != "" && !slices.Contains(Collections, req.Collection):
		return Post{}, "合集不存在"
	}
	p := Post{
		Text: fakesite.Text{Title: title}, Declaration: req.Declaration, Collection: req.Collection,
		AutoCover: req.CoverKey == "", Media: m, At: time.Now(),
	}
	if p.CoverSHA256, msg = s.CoverSHA256(req.CoverKey); msg != "" {
		return Post{}, msg
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
