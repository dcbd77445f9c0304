// Package channelstest is a fake WeChat Channels creator site, 视频号助手
// (channels.weixin.qq.com), for tests and demos. It serves the same URL
// paths, iframes, CSS classes, placeholders and texts that the real site
// shows and that the channels driver looks for, so the driver runs against
// it unchanged except for the base URL. Failures the real site produces
// (expired QR codes and sessions, failed uploads, refused content, slow
// pages, a redesign) are switched on with knobs, from Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                              redirect to /platform, or to /login.html when logged out
//	GET  /login.html                    login page; the QR code is in an iframe of
//	GET  /login-for-iframe              (微信扫码登录 视频号助手, img.qrcode with a relative src)
//	GET  /platform                      home with the 发表视频 button
//	GET  /platform/post/create          publish page; a direct load without the home page's
//	                                    click bounces to /platform, like the real single-page app;
//	                                    the form itself is the iframe
//	GET  /micro/content/post/create     (upload, description, 短标题, 视频标注, cover, 定时, 发表/保存草稿)
//	GET  /platform/post/list            posts and drafts (description, status)
//
// Every /platform/ and /micro/ page redirects to /login.html while the
// request has no valid sessionid cookie (unless RequireLogin(false)).
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage", "login"
// and "submit".
package channelstest

import (
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Post is one publish (or draft) the site accepted.
type Post struct {
	// Text is the description's: its first line is the title (see
	// fakesite.Caption).
	fakesite.Text
	ShortTitle string `json:"short_title"`
	// Declaration is the video label (视频标注).
	Declaration string `json:"declaration"`
	// ScheduleAt is the 定时 time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	Draft      bool      `json:"draft"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake creator site. It is an http.Handler and safe for
// concurrent use; the knobs (RequireLogin, ExpireQR, ExpireSessions,
// FailNextUpload, RejectNext, BreakLayout, SetDelay, Apply) may be turned
// while a browser uses the site. Scan plays the phone; Published lists the
// accepted posts and drafts; Reset forgets everything.
type Site struct{ *fakesite.Kernel[Post] }

// SessionCookie is the cookie that marks a logged-in browser; UinCookie
// comes with it on the real site.
const (
	SessionCookie = "sessionid"
	UinCookie     = "wxuin"
)

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{Kernel: fakesite.New[Post](opt, fakesite.Config{
		Web:            pages,
		SessionCookie:  SessionCookie,
		Cookies:        func(session string) []web.Cookie { return []web.Cookie{{Name: UinCookie, Value: uin(session)}} },
		CookieLifetime: 4 * 24 * time.Hour,
		LoginURL:       func(*http.Request) string { return "/login.html" },
		Unauthorized:   func(*http.Request) any { return apiResp{ErrCode: 300334, ErrMsg: "登录已失效"} },
		API: fakesite.API{
			OK:      func(data any) any { return apiResp{Data: data} },
			Fail:    func(code int, msg string) any { return apiResp{ErrCode: code, ErrMsg: msg} },
			VideoID: "media_id",
		},
		Texts: fakesite.Texts{
			StillUploading: "视频还在上传中，请稍后发表",
			Rejected:       "内容违反《视频号运营规范》，发表失败",
		},
	})}
	s.routes()
	return s
}

// uin is the account number the fake shows for a session.
func uin(session string) string { return "0000" + session[:6] }
