// Package tiktoktest is a fake TikTok site (www.tiktok.com: the login page
// and TikTok Studio's upload and content pages) for tests and demos. It
// serves the same URL paths, data-e2e attributes, CSS classes and English
// texts that the real site shows and that the tiktok driver looks for, so
// the driver runs against it unchanged except for the base URL. Failures the
// real site produces (expired QR codes and sessions, failed uploads, refused
// content, slow pages, a redesign) are switched on with knobs, from Go or
// over HTTP.
//
// Pages, in the order a publish visits them:
//
//	GET  /login                   login methods (Use QR code, ...); logged in: redirect to /foryou
//	GET  /login/qrcode            the QR code, drawn on a canvas
//	GET  /foryou                  where a login lands
//	GET  /tiktokstudio/upload     upload page; choosing a file turns it into the post form
//	                              (caption prefilled with the file name, cover, Show more
//	                              disclosures, Schedule with calendar and time picker, Post)
//	GET  /tiktokstudio/content    posts (caption, link to the video)
//
// The TikTok Studio pages redirect to /login?redirect_url=... while the
// request has no valid sessionid cookie (unless RequireLogin(false)).
//
// The simulated phone and the knobs, for a process that cannot call Go
// methods (the demo runs the site with deploy/fakesites):
//
//	POST /__fake__/scan[?confirm=0][&token=T]  scan the newest live QR code (or token T);
//	                                           confirm=0 scans without confirming on the phone
//	GET  /__fake__/published                   JSON array of Post (snake_case), in publish order
//	GET  /__fake__/state                       JSON: the newest QR token and its state, counts
//	POST /__fake__/session                     JSON array of cookies of a fresh logged-in session
//	POST /__fake__/knobs                       JSON object, every field optional:
//	     {"require_login": bool, "expire_qr": true, "expire_sessions": true,
//	      "fail_next_upload": true, "reject_next": "reason", "break_layout": bool,
//	      "delays": {"upload": "5s", "manage": "2s", "login": "1s", "submit": "1s"}}
//	POST /__fake__/reset                       forget posts, sessions, QR codes and knobs
package tiktoktest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"fanout/pkg/platform"
)

// SessionCookie is the cookie that marks a logged-in browser; SidCookie
// comes with it on the real site.
const (
	SessionCookie = "sessionid"
	SidCookie     = "sid_tt"
)

// Delay steps for SetDelay.
const (
	// DelayUpload adds time to the simulated processing after an upload.
	DelayUpload = "upload"
	// DelayManage delays the content page that follows an accepted publish.
	DelayManage = "manage"
	// DelayLogin delays the answer that confirms a QR login.
	DelayLogin = "login"
	// DelaySubmit delays the answer to the publish request.
	DelaySubmit = "submit"
)

// Options configures a Site.
type Options struct {
	// UploadDuration is how long the simulated processing after an upload
	// takes while the page shows Uploading with a growing percentage. Zero
	// means 1.5s.
	UploadDuration time.Duration
	// QRLifetime is how long a QR code stays valid if nobody scans it.
	// Zero means 2 minutes.
	QRLifetime time.Duration
}

// Post is one publish the site accepted.
type Post struct {
	// ID is the video id in the post's URL, /@user/video/ID.
	ID string `json:"id"`
	// Title is the caption's first line.
	Title string `json:"title"`
	// Description is the rest of the caption without the #hashtags.
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	// Declaration lists the content disclosures turned on, comma-separated.
	Declaration string `json:"declaration"`
	// ScheduleAt is the scheduled time; zero means published at once.
	ScheduleAt  time.Time `json:"schedule_at"`
	VideoSHA256 string    `json:"video_sha256"`
	VideoSize   int64     `json:"video_size"`
	VideoName   string    `json:"video_name"`
	CoverSHA256 string    `json:"cover_sha256,omitempty"`
	At          time.Time `json:"at"`
}

// Site is the fake creator site. It is an http.Handler and safe for
// concurrent use; the knobs may be turned while a browser uses the site.
type Site struct {
	opt Options
	mux *http.ServeMux

	mu             sync.Mutex
	url            string
	requireLogin   bool
	sessions       map[string]bool // sessionid → still valid
	qrs            map[string]*qrCode
	newestQR       string
	uploads        map[string]*upload
	covers         map[string]*upload
	failUploads    int
	rejectNext     *string
	brokenLayout   bool
	delays         map[string]time.Duration
	manageDelayDue bool
	posts          []Post
}

// New returns a site with default knobs: login required, nothing failing.
func New(opt Options) *Site {
	if opt.UploadDuration <= 0 {
		opt.UploadDuration = 1500 * time.Millisecond
	}
	if opt.QRLifetime <= 0 {
		opt.QRLifetime = 2 * time.Minute
	}
	s := &Site{opt: opt}
	s.resetLocked()
	s.mux = s.routes()
	return s
}

// NewServer starts the site on an httptest server that closes when the test
// ends; URL returns its address.
func NewServer(t testing.TB, opt Options) *Site {
	t.Helper()
	s := New(opt)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.SetURL(srv.URL)
	return s
}

func (s *Site) resetLocked() {
	s.requireLogin = true
	s.sessions = map[string]bool{}
	s.qrs = map[string]*qrCode{}
	s.newestQR = ""
	s.uploads = map[string]*upload{}
	s.covers = map[string]*upload{}
	s.failUploads = 0
	s.rejectNext = nil
	s.brokenLayout = false
	s.delays = map[string]time.Duration{}
	s.manageDelayDue = false
	s.posts = nil
}

// ServeHTTP implements http.Handler.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// URL is the base URL the site is served at (no trailing slash).
func (s *Site) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// SetURL records where the site is served, for a caller that runs it on its
// own listener; SessionCookies needs the host for the cookie domain.
func (s *Site) SetURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.url = u
}

// RequireLogin sets whether pages need a valid session (the default). With
// false every request counts as logged in.
func (s *Site) RequireLogin(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requireLogin = v
}

// ExpireSessions makes every session issued so far invalid, as when the
// platform logs an account out: pages redirect to the login page and a
// publish in progress is sent there on submit.
func (s *Site) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.sessions {
		s.sessions[k] = false
	}
}

// FailNextUpload makes the next video upload fail once: the page shows the
// error with a "Select file" button, and choosing the file again works.
// Each call adds one more failing upload.
func (s *Site) FailNextUpload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failUploads++
}

// RejectNext makes the platform refuse the next publish with reason, which
// the page shows in an error toast.
func (s *Site) RejectNext(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectNext = &reason
}

// BreakLayout (true) serves a redesigned upload page that lacks the video
// input, as after a site redesign, so a driver's wait for it must fail.
func (s *Site) BreakLayout(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.brokenLayout = v
}

// SetDelay slows a step down: DelayUpload, DelayManage, DelayLogin or
// DelaySubmit. Zero removes the delay.
func (s *Site) SetDelay(step string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, step)
		return
	}
	s.delays[step] = d
}

// SessionCookies issues a fresh valid session and returns its cookies, for
// a test that starts logged in without a QR login.
func (s *Site) SessionCookies() []platform.Cookie {
	id := s.newSession()
	host := "127.0.0.1"
	if u, err := url.Parse(s.URL()); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	exp := float64(time.Now().Add(4 * 24 * time.Hour).Unix())
	return []platform.Cookie{
		{Name: SessionCookie, Value: id, Domain: host, Path: "/", Expires: exp, HTTPOnly: true},
		{Name: SidCookie, Value: id, Domain: host, Path: "/", Expires: exp, HTTPOnly: true},
	}
}

// Published returns every accepted publish, in order.
func (s *Site) Published() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	copy(out, s.posts)
	return out
}

// Reset forgets every post, session and QR code and restores default knobs.
func (s *Site) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked()
}

func (s *Site) newSession() string {
	id := randomID(16)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id] = true
	return id
}

// loggedIn reports whether r carries a valid session (or login is off).
func (s *Site) loggedIn(r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.requireLogin {
		return true
	}
	c, err := r.Cookie(SessionCookie)
	return err == nil && s.sessions[c.Value]
}

// sleep waits for the delay configured for step, or until the request ends.
func (s *Site) sleep(r *http.Request, step string) {
	s.mu.Lock()
	d := s.delays[step]
	s.mu.Unlock()
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
