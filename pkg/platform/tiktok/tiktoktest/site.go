// Package tiktoktest is a fake TikTok site (www.tiktok.com: the home page's
// language menu, the login page and TikTok Studio's upload and content
// pages) for tests and demos. It serves the same URL paths, data-e2e
// attributes, CSS classes and texts that the real site shows and that the
// tiktok driver looks for, so the driver runs against it unchanged except
// for the base URL. Every behaviour is cited in the pages (web/) or marked
// assumed there. Failures the real site produces (expired QR codes and
// sessions, failed uploads, refused content, slow pages, a redesign) are
// switched on with knobs, from Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                        home: More → Language → English (US), 简体中文, Deutsch
//	GET  /login                   login methods (Use QR code, ...); logged in: redirect to /foryou
//	GET  /login/qrcode            the QR code, drawn on a canvas
//	GET  /foryou                  where a login lands
//	GET  /tiktokstudio/upload     upload page; choosing a file turns it into the post form
//	                              (caption prefilled with the file name, cover, Show more
//	                              disclosures, Schedule with calendar and time picker, Post
//	                              and its confirmation dialog)
//	GET  /tiktokstudio/content    posts (caption, link to the video)
//
// The site speaks the language chosen in the menu (LangCookie), else the
// account's (SetLanguage): English, Chinese or German, whatever a lang
// query asks for; the login pages are English. The pages take real pointer
// input only (a script's click does nothing); AI-generated content turns on
// only once its dialog is confirmed, and a post is sent only once "Post
// now" confirms it.
//
// The TikTok Studio pages redirect to /login?redirect_url=... while the
// request has no valid sessionid cookie (unless RequireLogin(false)).
//
// The QR codes, sessions, knobs, uploads and the record of posts are the
// shared kernel's (package fakesite), and so are the endpoints of the
// simulated phone and the knobs under /__fake__/ (scan, published, state,
// session, knobs, reset), with the delay steps "upload", "manage", "login"
// and "submit".
package tiktoktest

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Post is one publish the site accepted.
type Post struct {
	// ID is the video id in the post's URL, /@user/video/ID.
	ID string `json:"id"`
	// Text is the caption's: its first line is the title (see
	// fakesite.Caption).
	fakesite.Text
	// Declaration lists the content disclosures turned on, comma-separated.
	Declaration string `json:"declaration"`
	// ScheduleAt is the scheduled time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake TikTok site. It is an http.Handler and safe for
// concurrent use; the knobs (RequireLogin, ExpireQR, ExpireSessions,
// FailNextUpload, RejectNext, BreakLayout, SetDelay, Apply) may be turned
// while a browser uses the site. Scan plays the phone; Published lists the
// accepted posts; Reset forgets everything. SetLanguage and
// SetCalendarOffset are its own knobs.
type Site struct {
	*fakesite.Kernel[Post]

	mu             sync.Mutex
	lang           string // the account's language (see SetLanguage)
	calendarOffset int
}

// SessionCookie is the cookie that marks a logged-in browser; SidCookie
// comes with it on the real site.
const (
	SessionCookie = "sessionid"
	SidCookie     = "sid_tt"
)

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{lang: English}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:  pages,
		Lang: "en",
		// Real pointer input only (see fakesite.Config.TrustedInput).
		TrustedInput:  true,
		SessionCookie: SessionCookie,
		Cookies: func(session string) []web.Cookie {
			return []web.Cookie{{Name: SidCookie, Value: session, HTTPOnly: true}}
		},
		CookieLifetime: 60 * 24 * time.Hour,
		// TikTok Studio sends a logged-out browser to the login page, and
		// back to where it was after the login.
		LoginURL: func(r *http.Request) string {
			return "/login?lang=en&enter_method=mandatory&redirect_url=" + url.QueryEscape(r.URL.String())
		},
		Unauthorized: func(*http.Request) any { return apiResp{StatusCode: 8, StatusMsg: "Please log in"} },
		API: fakesite.API{
			OK:   func(data any) any { return apiResp{Data: data} },
			Fail: func(code int, msg string) any { return apiResp{StatusCode: code, StatusMsg: msg} },
		},
		Texts: fakesite.Texts{
			Malformed:      "Bad request",
			UploadFailed:   "Couldn't upload",
			UnknownVideo:   "Video not found",
			NoVideo:        "Upload a video first",
			StillUploading: "Your video is still uploading",
			NoCover:        "Cover not found, upload it again",
			Rejected:       "This post violates our Community Guidelines",
		},
		When: func(t time.Time) string { return t.UTC().Format("Jan 2, 15:04 UTC") },
		OnReset: func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.lang, s.calendarOffset = English, 0
		},
	})
	s.routes()
	return s
}
