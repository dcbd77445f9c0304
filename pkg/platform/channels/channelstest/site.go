// Package channelstest is a fake WeChat Channels creator site, 视频号助手
// (channels.weixin.qq.com), for tests and demos. It serves the same URL
// paths, iframes, CSS classes, placeholders and texts that the real site
// shows and that the channels driver looks for, so the driver runs against
// it unchanged except for the base URL. Failures the real site produces
// (expired QR codes and sessions, failed uploads, refused content, slow
// pages, a redesign, a real-name check) are switched on with knobs, from Go
// or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                              redirect to /platform, or to /login.html when logged out
//	GET  /login.html                    login page; the QR code is in WeChat's qrconnect frame,
//	GET  /connect/qrconnect             served from another origin (QROrigin): img.qrcode with a
//	GET  /connect/qrcode/{token}        relative src; once the phone confirms, the page goes to
//	GET  /login-callback?code=          the callback with the code, which logs it in and sends it home
//	GET  /platform                      home with the 发表视频 button
//	GET  /platform/post/create          publish page; a direct load without the home page's
//	                                    click bounces to /platform, like the real single-page app;
//	                                    the form itself is the iframe
//	GET  /micro/content/post/create     (upload, description, 合集, 视频标注, covers 4:3 and 3:4,
//	                                    定时, 短标题, 发表/保存草稿, the 实名验证 dialog)
//	GET  /platform/post/list            posts and drafts (description, status)
//
// An accepted publish goes home (PublishLanding), a draft to the post list.
// Every /platform/ and /micro/ page redirects to /login.html while the
// request has no valid sessionid cookie (unless RequireLogin(false)).
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage" (the page
// a publish lands on), "login" and "submit". The site adds the phone's
// real-name check, POST (or GET) /__fake__/realname.
package channelstest

import (
	"net"
	"net/http"
	"sync"
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
	// Collection is the 合集 the post joined, "" for none.
	Collection string `json:"collection"`
	// ScheduleAt is the 定时 time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	Draft      bool      `json:"draft"`
	// Media holds the video and the 3:4 personal-page card (CoverSHA256);
	// CoverLandscapeSHA256 is the 4:3 feed cover (视频号动态封面).
	fakesite.Media
	CoverLandscapeSHA256 string    `json:"cover_landscape_sha256,omitempty"`
	At                   time.Time `json:"at"`
}

// Collections are the account's 合集, as the form's 添加到合集 dropdown
// offers them (the names are assumed).
var Collections = []string{"旅行日记", "美食探店", "Fanout测试合集"}

// Landing is where the page goes after an accepted publish. The reference
// uploader accepts any of them (T:911-923): the home page, the post list,
// or the form page without its 发表 button.
type Landing string

const (
	LandingHome Landing = "home"
	LandingList Landing = "list"
	LandingStay Landing = "stay"
)

// DefaultShortTitlePlaceholder is the short title's placeholder the
// reference uploader looks for first (T:682).
const DefaultShortTitlePlaceholder = "填写短标题有机会获得更多流量"

// Site is the fake creator site. It is an http.Handler and safe for
// concurrent use; the knobs (the kernel's RequireLogin, ExpireQR,
// ExpireSessions, FailNextUpload, RejectNext, BreakLayout, SetDelay,
// ShowSuccessToast, BreakOption, RequireVerification, Apply, and the
// site's SetQROrigin, SetPublishLanding, SetShortTitlePlaceholder,
// RealNameOnOpen) may be turned while a browser uses the site. Scan plays
// the phone at login, ConfirmRealName at the real-name check; Published
// lists the accepted posts and drafts; Reset forgets everything.
type Site struct {
	*fakesite.Kernel[Post]

	mu           sync.Mutex
	qrOrigin     string
	landing      Landing
	placeholder  string
	realNameOpen bool
	realNameDone bool
}

// SessionCookie is the cookie that marks a logged-in browser; UinCookie
// comes with it on the real site.
const (
	SessionCookie = "sessionid"
	UinCookie     = "wxuin"
)

// errVerify is the API's code for a publish that waits for the real-name
// check (assumed); the form's script (web/app.js, ERR_VERIFY) knows it.
const errVerify = 300330

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{}
	s.resetKnobs()
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:            pages,
		SessionCookie:  SessionCookie,
		Cookies:        func(session string) []web.Cookie { return []web.Cookie{{Name: UinCookie, Value: uin(session)}} },
		CookieLifetime: 4 * 24 * time.Hour,
		LoginURL:       func(*http.Request) string { return "/login.html" },
		Unauthorized:   func(*http.Request) any { return apiResp{ErrCode: 300334, ErrMsg: "登录已失效"} },
		API: fakesite.API{
			OK:      func(data any) any { return apiResp{Data: data} },
			Fail:    func(code int, msg string) any { return apiResp{ErrCode: code, ErrMsg: msg} },
			Verify:  errVerify,
			VideoID: "media_id",
		},
		Texts: fakesite.Texts{
			StillUploading: "视频还在上传中，请稍后发表",
			Rejected:       "内容违反《视频号运营规范》，发表失败",
			// The dialog's title 实名验证 is the reference's (T:531); this
			// line of it is assumed.
			Verify: "为保障账号安全，请在手机微信完成实名验证",
		},
		OnReset:      s.resetKnobs,
		TrustedInput: true,
	})
	s.routes()
	return s
}

func (s *Site) resetKnobs() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.landing = LandingHome
	s.placeholder = DefaultShortTitlePlaceholder
	s.realNameOpen = false
	s.realNameDone = false
}

// SetQROrigin serves the login's qrconnect frame from origin
// (scheme://host:port, reaching this site); "" (the default) serves it
// from the site's other loopback name (localhost for 127.0.0.1 and back),
// a different site to Chromium, so the frame runs out of process. The real
// frame is on open.weixin.qq.com inside channels.weixin.qq.com (T:162-190):
// cross-origin but the same site, which a second listener on another port
// of 127.0.0.1 models.
func (s *Site) SetQROrigin(origin string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.qrOrigin = origin
}

// SetPublishLanding chooses where an accepted publish goes (default
// LandingHome: assumed, one of the reference's three, T:911).
func (s *Site) SetPublishLanding(l Landing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.landing = l
}

// SetShortTitlePlaceholder changes the short title's placeholder; ""
// removes it, so that only its 短标题 label finds the input (T:684-689;
// that the placeholder varies is assumed).
func (s *Site) SetShortTitlePlaceholder(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.placeholder = p
}

// RealNameOnOpen makes a pending verification (RequireVerification) show
// the 实名验证 dialog as soon as the form opens, where the reference meets
// it, right after choosing the video (T:1120, T:524-549); without it the
// dialog shows when the publish is refused for it.
func (s *Site) RealNameOnOpen(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realNameOpen = v
}

// ConfirmRealName plays the admin's phone finishing the real-name check:
// the dialog goes by itself and the next publish passes.
func (s *Site) ConfirmRealName() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.realNameDone = true
}

// qrOriginFor is the origin of the qrconnect frame for a login page
// requested with r (see SetQROrigin). A host other than the loopback
// names gets its own origin, a same-origin frame.
func (s *Site) qrOriginFor(r *http.Request) string {
	s.mu.Lock()
	o := s.qrOrigin
	s.mu.Unlock()
	if o != "" {
		return o
	}
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		return "http://" + r.Host
	}
	switch host {
	case "127.0.0.1":
		host = "localhost"
	case "localhost":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// uin is the account number the fake shows for a session.
func uin(session string) string { return "0000" + session[:6] }
