package douyintest

import (
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform/fakesite"
)

// createReq is what the publish form posts.
type createReq struct {
	VideoID string `json:"video_id"`
	// ImageIDs make the post an image note of these images in order.
	ImageIDs    []string `json:"image_ids"`
	Title       string   `json:"title"`
	Text        string   `json:"text"`
	Declaration string   `json:"declaration"`
	CoverID     string   `json:"cover_id"`
	// CoverOrientation is the cover dialog's tab the cover was uploaded
	// under: "portrait" (设置竖封面) or "landscape" (设置横封面).
	CoverOrientation string `json:"cover_orientation"`
	// RecommendCover is the recommended frame picked as the cover (1-3);
	// 0 means none.
	RecommendCover int    `json:"recommend_cover"`
	Collection     string `json:"collection"`
	SyncToutiao    bool   `json:"sync_toutiao"`
	Timing         string `json:"timing"`   // "now" or "schedule"
	Schedule       string `json:"schedule"` // YYYY-MM-DD HH:MM, Beijing time
	ProductLink    string `json:"product_link"`
	ProductTitle   string `json:"product_title"`
}

// schedule is the site's 定时发布 rule.
var schedule = fakesite.Schedule{
	Layout: "2006-01-02 15:04", Min: 2*time.Hour - 2*time.Minute, Max: 14 * 24 * time.Hour,
	Unparsed: "请选择定时发布时间", TooSoon: "定时发布时间需在2小时之后", TooLate: "定时发布时间不能超过14天",
}

// textCoverRequired refuses a publish without a cover.
const textCoverRequired = "请设置封面后再发布"

// accept validates a publish like the platform does and records it; a
// non-empty message is the reason shown to the user.
func (s *Site) accept(req createReq) (Post, string) {
	if len(req.ImageIDs) > 0 {
		return s.acceptNote(req)
	}
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
	case req.CoverID == "" && req.RecommendCover == 0:
		// The site wants a cover before it publishes (SAU D:795-814,
		// 1106; douyin-mcp-server issue #11, 2026-03: "需要设置视频封面，
		// 并且是必填项"). A publish without a declaration goes through: SAU
		// set none unless asked from e89d3a8 (2026-07-18) to ad49eba
		// (2026-08-13), though 7ae6943 (2026-05-30) calls it 必选项.
		return Post{}, textCoverRequired
	case req.RecommendCover < 0 || req.RecommendCover > 3:
		return Post{}, "推荐封面不存在"
	case req.CoverID != "" && req.CoverOrientation != "portrait" && req.CoverOrientation != "landscape": // assumed
		return Post{}, "请选择封面比例"
	}
	desc, tags := fakesite.SplitTags(req.Text)
	p := Post{
		Text: fakesite.Text{Title: title, Description: desc, Tags: tags}, Declaration: req.Declaration, Media: m,
		ProductLink: req.ProductLink, ProductTitle: req.ProductTitle, At: now,
		Collection: req.Collection, SyncToutiao: req.SyncToutiao, RecommendedCover: req.RecommendCover,
	}
	if req.CoverID != "" {
		p.CoverOrientation = req.CoverOrientation
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

// Image notes (platform-flows.md §3.1 "Image note"): at most 35 images and
// a title of at most 20 characters (the limits table); no cover is asked
// for (assumed: the first image is the cover).
const (
	maxNoteImages = 35
	maxNoteTitle  = 20
)

// acceptNote validates an image note like the platform does and records it.
func (s *Site) acceptNote(req createReq) (Post, string) {
	now := time.Now()
	images, msg := s.Images(req.ImageIDs, maxNoteImages, "最多支持上传35张图片")
	title := strings.TrimSpace(req.Title)
	switch {
	case msg != "":
		return Post{}, msg
	case title == "":
		return Post{}, "请填写作品标题"
	case utf8.RuneCountInString(title) > maxNoteTitle:
		return Post{}, "作品标题最多20个字" // assumed wording
	}
	desc, tags := fakesite.SplitTags(req.Text)
	p := Post{Text: fakesite.Text{Title: title, Description: desc, Tags: tags}, Declaration: req.Declaration,
		Media: fakesite.Media{Images: images}, ProductLink: req.ProductLink, ProductTitle: req.ProductTitle, At: now,
		Collection: req.Collection, SyncToutiao: req.SyncToutiao}
	if req.Timing == "schedule" {
		if p.ScheduleAt, msg = schedule.Parse(req.Schedule, now); msg != "" {
			return Post{}, msg
		}
	}
	if msg := s.Record(p); msg != "" {
		return Post{}, msg
	}
	return p, ""
}
