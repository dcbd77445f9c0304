// Package xiaohongshutest is a fake Xiaohongshu creator site
// (creator.xiaohongshu.com, or its mirror creator.rednote.com) for tests and
// demos. It serves the same URL paths, CSS classes, placeholders and texts
// that the real site shows and that the xiaohongshu driver looks for, so the
// driver runs against it unchanged except for the base URL. Failures the real
// site produces (expired QR codes and sessions, failed uploads, refused
// content, slow pages) are switched on with knobs, from Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                                    redirect to /login, or to /new/home when logged in
//	GET  /login                               login box (SMS form; the corner icon switches to the QR code)
//	GET  /qr/<token>.png                      the QR code's image
//	GET  /new/home                            creator home
//	GET  /publish/publish?from=homepage&target=video  upload page; choosing a file shows the note form
//	                                          below it (same URL, like the real single-page app),
//	                                          its title and editor once the upload finished
//	GET  /publish/publish?from=homepage&target=image  the same page for an image note: its input takes
//	                                          several images, and the title shows once all are in
//	GET  /publish/success?…                   where an accepted publish lands
//	GET  /new/note-manager                    published notes (title, status, schedule)
//
// Every page but /login redirects to /login while the request has no valid
// session cookie (unless RequireLogin(false)).
//
// What the pages ask of a driver, as the reference uploader finds the real
// site (each cited, or marked assumed, where it is built): clicks and presses from a pointer (TrustedInput); the
// login QR code as an image URL (/qr/<token>.png), not a data URL; the
// title and the description only once the upload finished, which the
// status card shows with one of several signs (UploadDoneSignal); a topic
// only from the suggestion list a typed '#' key opens, and none for a
// topic containing NoSuggestion.
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage", "login"
// and "submit". GET /__fake__/xhs/upload-done is the site's own: the sign
// the publish page shows for a finished upload (UploadDoneSignal).
package xiaohongshutest

import (
	"net/http"
	"sync"
	"time"

	"fanout/pkg/platform/fakesite"
)

// SessionCookie is the cookie that marks a logged-in creator session, as on
// the real site.
const SessionCookie = "galaxy_creator_session_id"

// Post is one publish (a video note) the site accepted.
type Post struct {
	fakesite.Text
	Declaration string `json:"declaration,omitempty"`
	// RepostSource is the 媒体名称 given with the 来源转载 declaration.
	RepostSource string `json:"repost_source,omitempty"`
	// ScheduleAt is the 定时发布 time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake creator site. It is an http.Handler and safe for
// concurrent use; the knobs (RequireLogin, ExpireQR, ExpireSessions,
// FailNextUpload, RejectNext, BreakLayout, SetDelay, Apply, and the site's
// own UploadDoneSignal and QRAsDataURL) may be turned while a browser uses
// the site. Scan plays the phone; Published lists the
// accepted notes; Reset forgets everything.
type Site struct {
	*fakesite.Kernel[Post]

	mu         sync.Mutex
	doneSignal string // "" rotates through UploadDoneSignals
	qrDataURL  bool
}

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:           pages,
		SessionCookie: SessionCookie,
		LoginURL:      func(*http.Request) string { return pathLogin },
		Unauthorized:  func(*http.Request) any { return apiResp{Code: -100, Msg: "登录已过期"} },
		API: fakesite.API{
			OK:         func(data any) any { return apiResp{Success: true, Data: data} },
			Fail:       func(code int, msg string) any { return apiResp{Code: code, Msg: msg} },
			BadRequest: 400, NotFound: 404, Refused: -1,
			VideoID: "file_id", CoverID: "file_id",
		},
		Texts: fakesite.Texts{
			NoVideo:        "请上传视频",
			StillUploading: "视频上传中，请稍后再试",
			NoCover:        "封面上传失败，请重新上传",
			Rejected:       "笔记内容违反社区规范，发布失败",
		},
		OnReset:      s.reset,
		TrustedInput: true,
	})
	s.routes()
	return s
}
