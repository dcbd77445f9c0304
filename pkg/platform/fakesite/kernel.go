// Package fakesite is the platform-independent kernel of the fake creator
// sites (douyintest, kuaishoutest, xiaohongshutest, channelstest,
// tiktoktest). Each fake embeds a Kernel and adds only what differs between
// platforms: its pages, paths, selectors, texts and the handlers that are
// the platform's own. The kernel keeps what every fake does alike:
//
//   - QR logins: codes with a lifetime, the simulated phone's scan and
//     confirm, ExpireQR;
//   - sessions: issued on a confirmed login or by SessionCookies, checked by
//     Authed pages and API calls, invalidated by ExpireSessions;
//   - knobs: RequireLogin, ExpireQR, ExpireSessions, FailNextUpload,
//     RejectNext, BreakLayout and SetDelay with the named steps;
//   - the upload store: multipart uploads hashed with SHA-256 and a
//     simulated processing over Options.UploadDuration plus DelayUpload;
//   - the record of accepted posts, of the platform's own Post type P,
//     which embeds the Text and the Media every site records alike, and
//     the publish request's handling (Submit) with the checks every site
//     makes alike (Video, CoverSHA256, a Schedule's bounds);
//   - the routes every site has: the uploads (HandleUploads), the QR code
//     and its poll, login pages that send a logged-in browser on
//     (LoggedOut);
//   - the pages: embedded templates in one frame (frame.html: the document
//     around a page's own markup), the redesign served under BreakLayout,
//     the posts page and the page a publish lands on;
//   - kit.js, served at /__fake__/kit.js for the frame to load in <head>,
//     before the site's own script: what every site's script needs alike
//     (the API calls, the QR login, the uploads, the toasts), to which a
//     site passes its markup, selectors, texts and endpoints.
//
// Every fake serves the same endpoints for the simulated phone and the
// knobs, for a process that cannot call Go methods (the demo runs the sites
// with deploy/fakesites):
//
//	POST /__fake__/scan[?confirm=0][&token=T]  scan the newest live QR code (or token T);
//	                                           confirm=0 scans without confirming on the phone
//	                                           (GET too: a phone camera opens the QR code's URL)
//	GET  /__fake__/published                   JSON array of the platform's Post, in publish order
//	GET  /__fake__/state                       JSON: the newest QR token and its state, counts
//	POST /__fake__/session                     JSON array of cookies of a fresh logged-in session
//	POST /__fake__/knobs                       JSON object, every field optional (see Knobs):
//	     {"require_login": bool, "expire_qr": true, "expire_sessions": true,
//	      "fail_next_upload": true, "reject_next": "reason", "break_layout": bool,
//	      "delays": {"upload": "5s", "manage": "2s", "login": "1s", "submit": "1s"}}
//	POST /__fake__/reset                       forget posts, sessions, QR codes and knobs
package fakesite

import (
	"cmp"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"fanout/pkg/web"
)

// Delay steps for SetDelay, the same on every platform so the conformance
// suite can slow any fake down.
const (
	// DelayUpload adds time to the simulated processing after an upload.
	DelayUpload = "upload"
	// DelayManage delays the page an accepted publish lands on, as the real
	// sites do under load.
	DelayManage = "manage"
	// DelayLogin delays the answer that confirms a QR login.
	DelayLogin = "login"
	// DelaySubmit delays the answer to the publish request.
	DelaySubmit = "submit"
)

// Options are what the caller of a fake site chooses, the same on every
// platform.
type Options struct {
	// UploadDuration is how long the simulated processing after an upload
	// takes while the page shows a growing percentage. Zero means 1.5s;
	// tests that want speed set a few hundred milliseconds.
	UploadDuration time.Duration
	// QRLifetime is how long a QR code stays valid if nobody scans it.
	// Zero means 2 minutes.
	QRLifetime time.Duration
}

// Config is what a platform tells the kernel about itself.
type Config struct {
	// Web holds the platform's pages and assets in its folder web (the
	// fakes embed it with //go:embed web): Page serves its HTML files, which
	// are templates in the kernel's frame (frame.html), /static/ all of
	// its files.
	Web fs.FS
	// Lang is the language of the pages. Empty means zh-CN.
	Lang string
	// SessionCookie is the cookie that carries the session.
	SessionCookie string
	// Cookies lists the cookies a browser logged in with session holds
	// besides the session cookie, which is HTTP-only; only Name, Value and
	// HTTPOnly count. Nil means none.
	Cookies func(session string) []web.Cookie
	// CookieLifetime is how long the session cookies last. Zero means 30
	// days.
	CookieLifetime time.Duration
	// LoginURL is where an Authed page sends a browser without a session.
	LoginURL func(r *http.Request) string
	// Unauthorized is the body of the 401 that an API call without a
	// session gets, in the platform's envelope.
	Unauthorized func(r *http.Request) any
	// API is the shape of the platform's JSON answers.
	API API
	// Texts are the platform's refusals for the checks the kernel makes;
	// zero fields take the wording the Chinese sites share (defaultTexts).
	Texts Texts
	// When is how the posts page shows a time (its template function
	// when). Nil means Beijing time as 2006-01-02 15:04, as most of the
	// Chinese sites show it.
	When func(time.Time) string
	// OnReset, if set, forgets the platform's own state on Reset.
	OnReset func()
	// TrustedInput makes the pages ignore clicks and presses that no
	// pointer made (a script's element.click()), as the real sites'
	// widgets that open on mousedown or check for a pointer do — so a
	// driver that clicks with a script fails here as it would there.
	// (assumed: SAU clicks with real mouse events on every site, D:50-89.)
	TrustedInput bool
}

// API is the shape of a platform's JSON answers, so the handlers the kernel
// serves in the platform's name answer like the platform's own.
type API struct {
	// OK wraps the data of a successful answer.
	OK func(data any) any
	// Fail wraps a refusal: the platform's code and the message.
	Fail func(code int, msg string) any
	// The platform's codes for a malformed request (HTTP 400), an unknown
	// upload, a server failure (HTTP 500), a refused publish and one that
	// needs a verification first. Zero means ByteDance's codes, which
	// Douyin and TikTok share: 1, 4, 500, 2 and 3.
	BadRequest, NotFound, ServerError, Refused, Verify int
	// VideoID is the key that names an upload in the upload's answer and
	// in the status query; CoverID names a cover in its upload's answer.
	// Empty means video_id and cover_id.
	VideoID, CoverID string
}

// withDefaults fills the zero fields of a as the API documents.
func (a API) withDefaults() API {
	pick := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	pick(&a.BadRequest, 1)
	pick(&a.NotFound, 4)
	pick(&a.ServerError, 500)
	pick(&a.Refused, 2)
	pick(&a.Verify, 3)
	a.VideoID = cmp.Or(a.VideoID, "video_id")
	a.CoverID = cmp.Or(a.CoverID, "cover_id")
	return a
}

// Texts are a platform's messages for the checks the kernel makes.
type Texts struct {
	// Malformed answers a publish request that does not decode.
	Malformed string
	// UploadFailed answers an upload that FailNextUpload fails.
	UploadFailed string
	// UnknownVideo answers a status query for an unknown upload.
	UnknownVideo string
	// NoVideo and StillUploading refuse a publish without a video or
	// before its processing ended; NoCover one with an unknown cover.
	NoVideo, StillUploading, NoCover string
	// Rejected is the refusal of RejectNext("").
	Rejected string
	// Verify answers a publish that must first pass RequireVerification.
	Verify string
}

// defaultTexts are the refusals as the Chinese sites word them; a
// platform's Texts override them field by field.
var defaultTexts = Texts{
	Malformed:      "请求格式错误",
	UploadFailed:   "上传失败",
	UnknownVideo:   "视频不存在",
	NoVideo:        "请先上传视频",
	StillUploading: "视频还在上传中，请稍后发布",
	NoCover:        "封面不存在，请重新上传",
	Rejected:       "作品内容违反社区规范，发布失败",
	Verify:         "为保障账号安全，请先完成短信验证",
}

// withDefaults fills the empty fields of t from defaultTexts: an empty
// refusal would let the check pass.
func (t Texts) withDefaults() Texts {
	d := defaultTexts
	return Texts{
		Malformed:      cmp.Or(t.Malformed, d.Malformed),
		UploadFailed:   cmp.Or(t.UploadFailed, d.UploadFailed),
		UnknownVideo:   cmp.Or(t.UnknownVideo, d.UnknownVideo),
		NoVideo:        cmp.Or(t.NoVideo, d.NoVideo),
		StillUploading: cmp.Or(t.StillUploading, d.StillUploading),
		NoCover:        cmp.Or(t.NoCover, d.NoCover),
		Rejected:       cmp.Or(t.Rejected, d.Rejected),
		Verify:         cmp.Or(t.Verify, d.Verify),
	}
}

// Kernel is the state and the shared behaviour of one fake site whose
// accepted publishes are of type P. It is an http.Handler and safe for
// concurrent use; the knobs may be turned while a browser uses the site.
type Kernel[P any] struct {
	opt   Options
	cfg   Config
	pages map[string]*template.Template // the HTML files of cfg.Web's folder web
	mux   *http.ServeMux

	mu             sync.Mutex
	url            string
	requireLogin   bool
	sessions       map[string]bool // session cookie value → still valid
	qrs            map[string]*qrCode
	newestQR       string
	uploads        map[string]*File
	covers         map[string]*File
	failUploads    int // uploads still to fail
	rejectNext     *string
	brokenLayout   bool
	delays         map[string]time.Duration
	manageDelayDue bool
	posts          []P
	successToast   bool
	brokenOptions  map[string]bool
	verifyCode     string // the code the next publish must carry ("": none)
}

// New returns a kernel with default knobs: login required, nothing failing.
// It serves /static/ from cfg.Web and the /__fake__/ endpoints; the platform
// adds its own routes with HandleFunc.
func New[P any](opt Options, cfg Config) *Kernel[P] {
	if opt.UploadDuration <= 0 {
		opt.UploadDuration = 1500 * time.Millisecond
	}
	if opt.QRLifetime <= 0 {
		opt.QRLifetime = 2 * time.Minute
	}
	if cfg.CookieLifetime <= 0 {
		cfg.CookieLifetime = 30 * 24 * time.Hour
	}
	if cfg.When == nil {
		cfg.When = func(t time.Time) string { return t.In(Beijing).Format("2006-01-02 15:04") }
	}
	cfg.API = cfg.API.withDefaults()
	cfg.Texts = cfg.Texts.withDefaults()
	k := &Kernel[P]{opt: opt, cfg: cfg, mux: http.NewServeMux()}
	k.resetLocked()
	var web fs.FS
	if cfg.Web != nil {
		var err error
		if web, err = fs.Sub(cfg.Web, "web"); err != nil {
			panic("fakesite: " + err.Error())
		}
		k.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(web)))
	}
	k.pages = parsePages(web, cfg.When, cmp.Or(cfg.Lang, "zh-CN"), k.pageKnobs)
	k.fakeRoutes()
	return k
}

// Serve starts site on an httptest server that closes when the test ends
// and records its URL, for the tests that run a fake.
func Serve[S interface {
	http.Handler
	SetURL(string)
}](t testing.TB, site S) S {
	t.Helper()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	site.SetURL(srv.URL)
	return site
}

// HandleFunc adds a route of the platform's (an http.ServeMux pattern).
func (k *Kernel[P]) HandleFunc(pattern string, h http.HandlerFunc) {
	k.mux.HandleFunc(pattern, h)
}

// ServeHTTP implements http.Handler. Nothing is cached, so a knob takes
// effect on the next load.
func (k *Kernel[P]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	k.mux.ServeHTTP(w, r)
}

// URL is the base URL the site is served at (no trailing slash).
func (k *Kernel[P]) URL() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.url
}

// SetURL records where the site is served, for a caller that runs it on its
// own listener; SessionCookies needs the host for the cookie domain.
func (k *Kernel[P]) SetURL(u string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.url = u
}

// Reset forgets every post, session and QR code and restores default knobs.
func (k *Kernel[P]) Reset() {
	k.mu.Lock()
	k.resetLocked()
	k.mu.Unlock()
	if k.cfg.OnReset != nil {
		k.cfg.OnReset()
	}
}

func (k *Kernel[P]) resetLocked() {
	k.requireLogin = true
	k.sessions = map[string]bool{}
	k.qrs = map[string]*qrCode{}
	k.newestQR = ""
	k.uploads = map[string]*File{}
	k.covers = map[string]*File{}
	k.failUploads = 0
	k.rejectNext = nil
	k.brokenLayout = false
	k.delays = map[string]time.Duration{}
	k.manageDelayDue = false
	k.posts = nil
	k.successToast = false
	k.brokenOptions = map[string]bool{}
	k.verifyCode = ""
}
