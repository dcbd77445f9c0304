// Package baijiahaotest is a fake Baijiahao 百家号 creator site
// (baijiahao.baidu.com) and the part of Baidu's passport
// (passport.baidu.com) its QR login uses, for tests and demos. Both are
// served on one base URL. The pages carry the paths, selectors and texts
// that the reference uploader looks for (platform-flows.md §3.7, from
// social-auto-upload's uploader/baijiahao_uploader/main.py, cited B:<what>);
// the rest of their markup is assumed, and web/app.js says which is which.
//
// Pages, in the order a publish visits them:
//
//	GET  /builder/theme/bjh/login        login page: 登录 opens the passport box with the QR code
//	                                     (img src …/v2/api/qrcode?sign=…); logged in: redirect to home
//	GET  /builder/rc/home                creator home
//	GET  /builder/rc/edit?type=videoV2   publish page: a video file input; the chosen video opens the
//	                                     form (title editor, cover, 创作声明, 合集, 发布) in place
//	GET  /builder/rc/clue                where an accepted publish lands
//	GET  /builder/rc/content             the content list (FindPublished; its layout is assumed)
//
// Every /builder/rc/ page redirects to the login page without a valid BDUSS
// session (unless RequireLogin(false)).
//
// The form asks for what a person does: pointer clicks only (TrustedInput);
// a title editor prefilled with the file's name that must be cleared; a
// cover, either the one the site makes once the upload finished or one
// uploaded through 选择封面 → 上传 → the image input → 确定 (nothing else
// sets it); the 创作声明 chosen in its modal and confirmed with 确定; the
// 合集 picked from the select's options. BreakOption knows "declaration",
// "cover" and "collection". RequireVerification makes the next publish
// meet 百度安全验证, a captcha whose answer the page sends with the publish.
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), with its /__fake__/ endpoints.
package baijiahaotest

import (
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Session cookies a Baidu login sets (B:_is_login_completed looks for
// either): SessionCookie carries the session, TokenCookie is STOKEN.
const (
	SessionCookie = "BDUSS"
	TokenCookie   = "STOKEN"
)

// Post is one publish the site accepted. Baijiahao's video form has a title
// and no description or tags (B:upload fills only the title).
type Post struct {
	fakesite.Text
	Declaration string `json:"declaration,omitempty"`
	// Collection is the 合集 the video joined, by name.
	Collection string `json:"collection,omitempty"`
	// AutoCover is true when the post carries the cover the site made.
	AutoCover bool `json:"auto_cover,omitempty"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake creator site and passport. It is an http.Handler and
// safe for concurrent use; see fakesite.Kernel for the knobs.
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
			return []web.Cookie{{Name: TokenCookie, Value: fakesite.RandomID(16), HTTPOnly: true}}
		},
		LoginURL:     func(*http.Request) string { return pathLogin },
		Unauthorized: func(*http.Request) any { return apiResp{Errno: 110, Errmsg: "未登录"} },
		API: fakesite.API{
			OK:         func(data any) any { return apiResp{Errno: 0, Data: data} },
			Fail:       func(code int, msg string) any { return apiResp{Errno: code, Errmsg: msg} },
			BadRequest: 400, NotFound: 404, ServerError: 500, Refused: 20040, Verify: 20050,
			VideoID: "video_id", CoverID: "cover_key",
		},
		Texts: fakesite.Texts{
			NoVideo:        "请上传视频",
			StillUploading: "请确保视频已经上传完毕", // B:_wait_upload_complete
			NoCover:        "封面上传失败，请重新上传",
			Rejected:       "内容涉嫌违规，发布失败",
			Verify:         "百度安全验证",
		},
	})
	s.routes()
	return s
}

// apiResp is the envelope of every JSON answer, shaped like Baidu's
// ({"errno": 0, ...} is success; assumed).
type apiResp struct {
	Errno  int    `json:"errno"`
	Errmsg string `json:"errmsg,omitempty"`
	Data   any    `json:"data,omitempty"`
}
