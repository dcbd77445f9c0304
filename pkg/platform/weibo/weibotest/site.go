// Package weibotest is a fake Weibo (weibo.com) and its passport login
// (passport.weibo.com) for tests and demos. Both hosts are served on one
// base URL: the weibo driver builds every URL from its Config, so pointing
// BaseURL and PassportURL at the fake runs the driver unchanged. The pages
// carry the paths, CSS classes, placeholders and texts of the reference
// (platform-flows.md §3.9, the original tool's uploader/weibo_uploader,
// cited W:<line>) where it names them; everything else is marked assumed
// in the pages' comments.
//
// Pages, in the order a publish visits them:
//
//	GET  /                         home (feed and composer); logged out: redirect to /newlogin
//	GET  /newlogin?tabtype=weibo…  the visitor page with its 登录 button (§3.9 cookie check)
//	GET  /sso/signin?entry=miniblog&source=miniblog&url=…  passport QR login (§3.9)
//	GET  /upload/channel           the video publish page, which the home's 视频 entry opens
//	                               in a NEW WINDOW (window.open; §3.9 step 1: expect_popup);
//	                               its path is assumed (the tool never navigates to it)
//
// The publish page asks for what a person does (web/app.js has the
// citations): pointer clicks only (TrustedInput), the video chosen in the
// file chooser 上传视频 opens (no file input before the click), a cover
// that is mandatory and confirmed with 完成 only once its crop is done
// while the cover layer hides the main form, a declaration picked in its
// panel and confirmed with 确定, and a collection picked by its row once
// the 合集 switch is on. Success is the layer with 再发一条视频 on the same
// page. The optional controls are marked data-option (declaration, cover,
// collection) for BreakOption.
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), with the endpoints under /__fake__/.
package weibotest

import (
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Session cookies: SessionCookie is the one the reference waits for after
// the QR login (§3.9: "a SUB cookie exists"); SUBP is the one Weibo sets
// beside it (assumed).
const (
	SessionCookie = "SUB"
	SUBPCookie    = "SUBP"
)

// Post is one publish the site accepted.
type Post struct {
	fakesite.Text
	// Caption is the description box's text as typed (W:669-689).
	Caption     string `json:"caption"`
	Declaration string `json:"declaration,omitempty"`
	// Collection is the collection (合集) the post joined, by name.
	Collection string `json:"collection,omitempty"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake weibo.com and passport.weibo.com. It is an
// http.Handler and safe for concurrent use; the knobs may be turned while
// a browser uses the site.
type Site struct {
	*fakesite.Kernel[Post]
}

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:           pages,
		TrustedInput:  true,
		SessionCookie: SessionCookie,
		Cookies: func(string) []web.Cookie {
			return []web.Cookie{{Name: SUBPCookie, Value: "0033WrSXqPxfM72-Ws9jqgMF55529P9D9W5"}}
		},
		LoginURL:     func(*http.Request) string { return pathNewLogin },
		Unauthorized: func(*http.Request) any { return apiResp{OK: -100, Msg: "请先登录"} },
		API: fakesite.API{
			OK:   func(data any) any { return apiResp{OK: 1, Data: data} },
			Fail: func(code int, msg string) any { return apiResp{OK: code, Msg: msg} },
			// Weibo's error codes are assumed.
			BadRequest: 100001, NotFound: 100004, ServerError: 100005, Refused: 20016, Verify: 20019,
			VideoID: "media_id", CoverID: "pid",
		},
	})
	s.routes()
	return s
}

// apiResp is the envelope of the JSON answers, shaped like weibo.com's
// ajax answers ({"ok": 1, ...} is success there; assumed for these
// endpoints).
type apiResp struct {
	OK   int    `json:"ok"`
	Msg  string `json:"msg,omitempty"`
	Data any    `json:"data,omitempty"`
}
