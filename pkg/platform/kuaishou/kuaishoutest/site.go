// Package kuaishoutest is a fake Kuaishou creator site (cp.kuaishou.com) and
// its passport login (passport.kuaishou.com) for tests and demos. Both hosts
// are served on one base URL: the kuaishou driver builds every URL from its
// Config, so pointing BaseURL and PassportURL at the fake runs the driver
// unchanged. The pages carry the same paths, CSS classes, placeholders and
// texts that the real ones show and that the driver looks for. Failures the
// real site produces (expired QR codes and sessions, failed uploads, refused
// content, slow pages) are switched on with knobs, from Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                                  creator landing (立即登录); logged in: redirect to /profile
//	GET  /pc/account/login/?sid=…&callback=…  passport login form (main#login-form), SMS or QR code
//	GET  /rest/infra/sts?followUrl=…&authToken=…  sets the session cookies, then redirects to followUrl
//	GET  /profile                            creator home
//	GET  /article/publish/video              upload page; its button opens the file chooser (there is no
//	                                         file input before), and the chosen video renders the publish
//	                                         form in place (same URL, like the real single-page app); its
//	                                         上传图文 tab makes the button 上传图片, whose chooser takes an
//	                                         image note's images
//	GET  /article/manage/video?status=2&from=publish  published works; where a publish lands
//
// Every /profile and /article/ page redirects to the passport login while the
// request has no valid session cookie (unless RequireLogin(false)).
//
// The publish form asks for what a person does (web/app.js has the
// citations): pointer clicks only (TrustedInput), the notice's 我知道了 and
// the tour's skip before the form takes a click, selects (作者声明, 加入合集)
// that open on mousedown, topics picked one at a time from the suggestions
// the editor shows for a typed #word, and 确认发布 for a scheduled post. The
// optional controls are marked data-option (cover, declaration,
// collection) for BreakOption, and ShowSuccessToast shows antd's success
// message before the manage page.
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage", "login"
// and "submit".
package kuaishoutest

import (
	"net/http"
	"sync"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Session cookies, as the real creator site sets them after the passport
// login: SessionCookie carries the session, UserCookie the account id.
const (
	SessionCookie = "kuaishou.web.cp.api_st"
	UserCookie    = "userId"
)

// Post is one publish the site accepted. Kuaishou has no title field: the
// first line of the caption is the title, the rest (without #tags) the
// description.
type Post struct {
	fakesite.Text
	Caption     string `json:"caption"`
	Declaration string `json:"declaration,omitempty"`
	// Collection is the collection (合集) the post joined, by name.
	Collection string `json:"collection,omitempty"`
	// ScheduleAt is the 定时发布 time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake creator site and passport. It is an http.Handler and
// safe for concurrent use; the knobs (RequireLogin, ExpireQR,
// ExpireSessions, FailNextUpload, RejectNext, BreakLayout, SetDelay, Apply)
// may be turned while a browser uses the site. Scan plays the phone;
// Published lists the accepted posts; Reset forgets everything. URL stands
// for both cp.kuaishou.com and passport.kuaishou.com.
type Site struct {
	*fakesite.Kernel[Post]

	mu sync.Mutex
	// authTokens maps the one-time token of a confirmed QR login to its
	// session, until /rest/infra/sts exchanges it for the cookies.
	authTokens map[string]string
}

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{authTokens: map[string]string{}}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:           pages,
		TrustedInput:  true,
		SessionCookie: SessionCookie,
		Cookies:       func(string) []web.Cookie { return []web.Cookie{{Name: UserCookie, Value: userID}} },
		LoginURL:      func(r *http.Request) string { return loginURL(r, pathPublish) },
		Unauthorized: func(r *http.Request) any {
			return apiResp{Result: 109, Message: "用户未登录", Data: map[string]string{"login_url": loginURL(r, pathPublish)}}
		},
		API: fakesite.API{
			OK:         func(data any) any { return apiResp{Result: resultOK, Data: data} },
			Fail:       func(code int, msg string) any { return apiResp{Result: code, Message: msg} },
			BadRequest: 400, NotFound: 404,
			VideoID: "fileId", CoverID: "coverKey",
		},
		Texts: fakesite.Texts{StillUploading: "视频正在上传中，请稍后发布"},
		When:  func(t time.Time) string { return t.In(fakesite.Beijing).Format("2006-01-02 15:04:05") },
		OnReset: func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.authTokens = map[string]string{}
		},
	})
	s.routes()
	return s
}

// userID is the account every session of the fake belongs to.
const userID = "2718281828"
