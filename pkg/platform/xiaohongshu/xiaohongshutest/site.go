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
//	GET  /new/home                            creator home
//	GET  /publish/publish?from=homepage&target=video  upload page; choosing a file shows the note form
//	                                          below it (same URL, like the real single-page app)
//	GET  /publish/success?…                   where an accepted publish lands
//	GET  /new/note-manager                    published notes (title, status, schedule)
//
// Every page but /login redirects to /login while the request has no valid
// session cookie (unless RequireLogin(false)).
//
// The simulated phone and the knobs, for a process that cannot call Go methods
// (the demo runs the site with deploy/fakesites):
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
package xiaohongshutest

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

// SessionCookie is the cookie that marks a logged-in creator session, as on
// the real site.
const SessionCookie = "galaxy_creator_session_id"

// Delay steps for SetDelay.
const (
	// DelayUpload adds time to the simulated processing after an upload.
	DelayUpload = "upload"
	// DelayManage delays the response of the success page that follows an
	// accepted publish, as the real site does under load.
	DelayManage = "manage"
	// DelayLogin delays the answer that confirms a QR login.
	DelayLogin = "login"
	// DelaySubmit delays the answer to the publish request.
	DelaySubmit = "submit"
)

// Options configures a Site.
type Options struct {
	// UploadDuration is how long the simulated processing after an upload
	// takes while the page shows 上传中 with a growing percentage. Zero
	// means 1.5s; tests that want speed set a few hundred milliseconds.
	UploadDuration time.Duration
	// QRLifetime is how long a QR code stays valid if nobody scans it.
	// Zero means 2 minutes.
	QRLifetime time.Duration
}

// Post is one publish (a video note) the site accepted.
type Post struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Declaration string   `json:"declaration,omitempty"`
	// RepostSource is the 媒体名称 given with the 来源转载 declaration.
	RepostSource string `json:"repost_source,omitempty"`
	// ScheduleAt is the 定时发布 time; zero means published at once.
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
	sessions       map[string]bool // session cookie value → still valid
	qrs            map[string]*qrCode
	newestQR       string
	uploads        map[string]*upload
	covers         map[string]*upload
	failUploads    int // uploads still to fail
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
// platform logs an account out: pages redirect to /login and a
// publish in progress is sent there on submit.
func (s *Site) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.sessions {
		s.sessions[k] = false
	}
}

// FailNextUpload makes the next video upload fail once: the page shows 上传失败
// and a re-upload input, and choosing the file again works. Each call adds
// one more failing upload, so n calls fail the next n attempts.
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

// BreakLayout (true) serves a redesigned upload page that lacks the file
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

// SessionCookies issues a fresh valid session and returns its cookie, for a
// test that starts logged in without a QR login.
func (s *Site) SessionCookies() []platform.Cookie {
	id := s.newSession()
	host := "127.0.0.1"
	if u, err := url.Parse(s.URL()); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return []platform.Cookie{{
		Name: SessionCookie, Value: id, Domain: host, Path: "/",
		Expires: float64(time.Now().Add(30 * 24 * time.Hour).Unix()), HTTPOnly: true,
	}}
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
