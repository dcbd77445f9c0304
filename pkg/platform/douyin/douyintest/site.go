// Package douyintest is a fake Douyin creator site (creator.douyin.com) for
// tests and demos. It serves the same URL paths, CSS classes, placeholders and
// texts that the real site shows and that the douyin driver looks for, so the
// driver runs against it unchanged except for the base URL. Failures the real
// site produces (expired QR codes and sessions, failed uploads, refused
// content, slow pages) are switched on with knobs, from Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                                   login page (扫码登录, QR code); logged in: redirect to /creator-micro/home
//	GET  /creator-micro/home                 home
//	GET  /creator-micro/content/upload       upload page; choosing a file turns it into the publish
//	                                         form at /creator-micro/content/post/video?enter_from=publish_page
//	                                         (history.pushState, like the real single-page app)
//	                                         or, after the 发布图文 tab and the images, the note's form
//	                                         at /creator-micro/content/post/image?enter_from=publish_page
//	GET  /creator-micro/content/manage       published works (title, status, schedule)
//
// Every /creator-micro/ page redirects to / while the request has no valid
// sessionid cookie (unless RequireLogin(false)).
//
// The publish form asks for what the real one does (platform-fidelity.md
// §Douyin; SAU = social-auto-upload's douyin_uploader, D:line):
//
//   - only clicks a pointer made count (TrustedInput; D:50-89);
//   - the cover entry (选择封面, then 编辑封面) shows only while the cover
//     area is hovered, as a bar at its bottom (D:841-858); the cover dialog
//     opens on 设置竖封面, each tab keeps its own image, and 完成 with one of
//     them set asks to confirm (D:894-947); the post records the tab;
//   - a publish without a cover is refused with 请设置封面后再发布; a
//     recommended frame ([class^=recommendCover-], then 是否确认应用此封面？
//     确定) is a cover (D:795-814);
//   - the declaration's entry is a wrapped label (found by containment,
//     D:500-506); a publish without a declaration goes through (SAU set
//     none unless asked from e89d3a8 to ad49eba, 2026-07/08);
//   - 合集 is a Semi select of three named collections (D:697-746) and the
//     头条/西瓜 sync is a switch that starts off (D:1062-1065);
//   - with RequireVerification the publish meets the SMS check: 获取验证码
//     "sends" the code, 验证 sends the publish again with the typed code,
//     and a wrong code shows an error in the dialog (D:748-778, 1077-1093);
//   - with ShowSuccessToast an accepted publish shows a Semi success toast
//     (发布成功) before the manage page, as an independent copy of Douyin's
//     pages does.
//
// The controls of the optional steps carry data-option (declaration, cover,
// collection, sync) for BreakOption. Texts and markup no reference gives
// are marked assumed where they are made.
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage", "login"
// and "submit".
package douyintest

import (
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
)

// SessionCookie is the cookie that marks a logged-in browser, as on the real
// site, where the driver checks for it after a QR login.
const SessionCookie = "sessionid"

// Post is one publish the site accepted.
type Post struct {
	fakesite.Text
	Declaration string `json:"declaration"`
	// ScheduleAt is the 定时发布 time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	fakesite.Media
	ProductLink  string `json:"product_link,omitempty"`
	ProductTitle string `json:"product_title,omitempty"`
	// CoverOrientation is the tab of the cover dialog the cover was set
	// under ("portrait" or "landscape"); empty without a custom cover.
	CoverOrientation string `json:"cover_orientation,omitempty"`
	// RecommendedCover is the recommended frame used as the cover (1-3);
	// 0 means none.
	RecommendedCover int `json:"recommended_cover,omitempty"`
	// Collection is the 合集 the post joined; empty means none.
	Collection string `json:"collection,omitempty"`
	// SyncToutiao is the 头条/西瓜 sync switch as it was at the publish.
	SyncToutiao bool      `json:"sync_toutiao"`
	At          time.Time `json:"at"`
}

// Site is the fake creator site. It is an http.Handler and safe for
// concurrent use; the knobs (RequireLogin, ExpireQR, ExpireSessions,
// FailNextUpload, RejectNext, BreakLayout, SetDelay, Apply) may be turned
// while a browser uses the site. Scan plays the phone; Published lists the
// accepted posts; Reset forgets everything.
type Site struct{ *fakesite.Kernel[Post] }

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{Kernel: fakesite.New[Post](opt, fakesite.Config{
		Web:           pages,
		SessionCookie: SessionCookie,
		TrustedInput:  true,
		LoginURL:      func(*http.Request) string { return "/" },
		Unauthorized:  func(*http.Request) any { return apiResp{StatusCode: 8, StatusMsg: "用户未登录"} },
		API: fakesite.API{
			OK:   func(data any) any { return apiResp{Data: data} },
			Fail: func(code int, msg string) any { return apiResp{StatusCode: code, StatusMsg: msg} },
		},
	})}
	s.routes()
	return s
}
