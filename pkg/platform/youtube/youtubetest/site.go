// Package youtubetest is a fake YouTube Studio (studio.youtube.com and the
// www.youtube.com/upload entry, served on one host) for tests and demos. It
// serves the URL paths, element names, ids and texts that the youtube
// driver looks for, so the driver runs against it unchanged except for the
// base URL. Every behaviour is cited in the pages (web/) from
// platform-flows.md §3.8 (the reference uploader) or marked assumed there.
// Failures the real site produces (expired sessions, failed uploads,
// refused videos, slow pages, a redesign) are switched on with knobs, from
// Go or over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /                                 Studio: redirect to /channel/<id> (logged out: Google sign-in)
//	GET  /upload                           www.youtube.com/upload: redirect to the upload dialog
//	GET  /channel/<id>/videos/upload?d=ud  the upload dialog: choosing a file turns it into the
//	                                       details form (title prefilled with the file name,
//	                                       description, thumbnail, audience, Show more → tags),
//	                                       Next through Video elements and Checks to Visibility
//	                                       (radios, Schedule), Done once the checks are over,
//	                                       then a dialog with the watch link
//	GET  /channel/<id>/videos              the channel's content list (assumed URL)
//	GET  /v3/signin/identifier             Google's sign-in; logged in: redirect to /
//
// What the dialog asks for is what a person does: pointer clicks only
// (TrustedInput); the title, description and tags are what was typed (input
// events), not values a script set; the audience answered before Next goes
// on; Next clicked once per page; Done enabled only after the checks; a
// typed #word opens the suggestions, which swallow clicks on Next and Done
// until Escape closes them.
//
// There is no QR login (Google sign-in is by hand, §3.8): a test logs in
// with SessionCookies, a demo with POST /__fake__/session. The sessions,
// knobs, uploads and the record of posts are the shared kernel's (package
// fakesite), and so are the /__fake__/ endpoints, with the delay steps
// "upload", "manage" (the watch link after Done), "login" and "submit".
package youtubetest

import (
	"net/http"
	"net/url"
	"time"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/web"
)

// Cookies of a logged-in browser: SessionCookie carries the session (a
// Google account cookie), LoginInfoCookie is YouTube's own.
const (
	SessionCookie   = "SID"
	LoginInfoCookie = "LOGIN_INFO"
)

// ChannelID is the channel every session of the fake belongs to.
const ChannelID = "UCfAnOuTdEmOcHaNnEl0000a"

// Post is one video the site accepted.
type Post struct {
	// ID is the video id in its watch link, /watch?v=ID.
	ID string `json:"id"`
	fakesite.Text
	// Visibility is PUBLIC, UNLISTED or PRIVATE; a scheduled video is
	// PUBLIC from ScheduleAt on.
	Visibility  string `json:"visibility"`
	MadeForKids bool   `json:"made_for_kids"`
	// ScheduleAt is the scheduled time; zero means published at once.
	ScheduleAt time.Time `json:"schedule_at"`
	fakesite.Media
	At time.Time `json:"at"`
}

// Site is the fake YouTube Studio. It is an http.Handler and safe for
// concurrent use; the knobs may be turned while a browser uses the site.
type Site struct {
	*fakesite.Kernel[Post]
}

// New returns a site with default knobs: login required, nothing failing.
func New(opt fakesite.Options) *Site {
	s := &Site{}
	s.Kernel = fakesite.New[Post](opt, fakesite.Config{
		Web:  pages,
		Lang: "en",
		// Real pointer input only (see fakesite.Config.TrustedInput).
		TrustedInput:  true,
		SessionCookie: SessionCookie,
		Cookies: func(session string) []web.Cookie {
			return []web.Cookie{{Name: LoginInfoCookie, Value: "fake:" + session[:8], HTTPOnly: true}}
		},
		CookieLifetime: 180 * 24 * time.Hour,
		// Studio sends a logged-out browser to Google's sign-in (§3.8
		// cookie check), with the page to come back to.
		LoginURL: func(r *http.Request) string {
			return pathSignin + "?service=youtube&continue=" + url.QueryEscape(r.URL.String())
		},
		Unauthorized: func(*http.Request) any {
			return apiResp{Error: &apiError{Code: 401, Message: "Request had invalid authentication credentials."}}
		},
		API: fakesite.API{
			OK:      func(data any) any { return apiResp{Data: data} },
			Fail:    func(code int, msg string) any { return apiResp{Error: &apiError{Code: code, Message: msg}} },
			CoverID: "thumbnail_id",
		},
		Texts: fakesite.Texts{
			Malformed:      "Invalid request",
			UploadFailed:   "Upload failed",
			UnknownVideo:   "Video not found",
			NoVideo:        "Select a video to upload",
			StillUploading: "Your video is still uploading",
			NoCover:        "Thumbnail not found, upload it again",
			Rejected:       "This video violates YouTube's Community Guidelines",
		},
		When: func(t time.Time) string { return t.UTC().Format("Jan 2, 2006 15:04 UTC") },
	})
	s.routes()
	return s
}
