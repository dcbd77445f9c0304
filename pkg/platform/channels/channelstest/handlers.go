package channelstest

import (
	"bytes"
	"embed"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"

	qrcode "github.com/skip2/go-qrcode"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// API paths, shaped like the real site's cgi-bin endpoints.
const (
	apiPrefix      = "/cgi-bin/mmfinderassistant-bin"
	apiLoginFrame  = apiPrefix + "/auth/auth_login_frame" // assumed: where the login page's qrconnect frame is
	apiLoginCode   = apiPrefix + "/auth/auth_login_code"
	apiLoginStatus = apiPrefix + "/auth/auth_login_status"
	apiRealName    = apiPrefix + "/auth/auth_realname_status" // assumed
	apiUpload      = apiPrefix + "/upload/upload_video"
	apiUploadState = apiPrefix + "/upload/upload_status"
	apiCover       = apiPrefix + "/upload/upload_cover"
	apiPostCreate  = apiPrefix + "/post/post_create"
)

// The login's frame and its way back. WeChat's qrconnect page (SAU
// T:162-190: open.weixin.qq.com/connect/qrconnect, img.qrcode whose src
// is the relative /connect/qrcode/<id>) passes the code to the login page
// once the phone confirms, which goes to the redirect_uri with it, and the
// callback logs the browser in and sends it home (assumed: a frame that
// went there itself would not get the cookies of a page of another site).
const (
	pathQRConnect     = "/connect/qrconnect"
	pathQRImage       = "/connect/qrcode/"
	pathLoginCallback = "/login-callback"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut("/platform", http.RedirectHandler("/login.html", http.StatusFound).ServeHTTP))
	s.HandleFunc("GET /login.html", s.LoggedOut("/platform", s.Page("login.html")))
	s.HandleFunc("GET "+apiLoginFrame, s.handleLoginFrame)
	s.HandleFunc("GET "+pathQRConnect, s.Page("qrconnect.html"))
	s.HandleFunc("GET "+pathQRImage+"{token}", s.handleQRImage)
	s.HandleFunc("GET "+pathLoginCallback, s.handleLoginCallback)
	s.HandleFunc("POST "+apiLoginCode, s.HandleNewQR("token", ""))
	s.HandleFunc("GET "+apiLoginStatus, s.handleLoginStatus)

	// The home page is also where an accepted publish lands.
	home := s.Authed(s.Landing(s.Page("home.html")))
	s.HandleFunc("GET /platform", home)
	s.HandleFunc("GET /platform/{$}", home)
	s.HandleFunc("GET /platform/post/create", s.Authed(s.Page("create.html")))
	s.HandleFunc("GET /micro/content/post/create", s.Authed(s.handleForm))
	s.HandleFunc("GET /platform/post/list", s.Authed(s.Landing(s.PostsPage("list.html"))))

	s.HandleUploads(apiUpload, apiUploadState, apiCover)
	s.HandleFunc("GET "+apiRealName, s.API(s.handleRealName))
	s.HandleFunc("POST "+apiPostCreate, s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		s.mu.Lock()
		next := s.landing
		s.mu.Unlock()
		return map[string]any{"object_id": fakesite.RandomID(8), "title": p.Title, "next": next}
	})))
	phone := func(w http.ResponseWriter, r *http.Request) {
		s.ConfirmRealName()
		fakesite.WriteJSON(w, http.StatusOK, map[string]bool{"ok": true})
	}
	s.HandleFunc("POST /__fake__/realname", phone)
	// A phone camera opens the dialog's QR code with GET.
	s.HandleFunc("GET /__fake__/realname", phone)
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	ErrCode int    `json:"errCode"`
	ErrMsg  string `json:"errMsg,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// handleLoginFrame tells the login page where its qrconnect frame is: on
// the QR origin, with this site's callback as the redirect_uri.
func (s *Site) handleLoginFrame(w http.ResponseWriter, r *http.Request) {
	q := url.Values{
		"appid":         {"wx_fanout_fake"},
		"scope":         {"snsapi_login"},
		"redirect_uri":  {"http://" + r.Host + pathLoginCallback},
		"self_redirect": {"true"},
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: map[string]string{"url": s.qrOriginFor(r) + pathQRConnect + "?" + q.Encode()}})
}

// handleQRImage serves the image of a login code: the frame loads it from
// a relative URL, as the real one does.
func (s *Site) handleQRImage(w http.ResponseWriter, r *http.Request) {
	png := s.QRImage(r.PathValue("token"))
	if png == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}

// Login status codes the frame's poll gets, as numbers like the real API.
var loginStatus = map[string]int{fakesite.QRNew: 0, fakesite.QRConfirmed: 1, fakesite.QRScanned: 5, fakesite.QRExpired: 4}

func (s *Site) handleLoginStatus(w http.ResponseWriter, r *http.Request) {
	state, _ := s.QRStatus(r.URL.Query().Get("token"))
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: map[string]any{"status": loginStatus[state]}})
}

// handleLoginCallback logs the browser in with a confirmed code and sends
// it home.
func (s *Site) handleLoginCallback(w http.ResponseWriter, r *http.Request) {
	state, session := s.QRStatus(r.URL.Query().Get("code"))
	if state != fakesite.QRConfirmed {
		http.Error(w, "invalid code", http.StatusBadRequest)
		return
	}
	s.LogIn(w, r, session)
	http.Redirect(w, r, "/platform", http.StatusFound)
}

// handleForm serves the publish form with the short title's placeholder
// the knob chose (SetShortTitlePlaceholder).
func (s *Site) handleForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	p := s.placeholder
	s.mu.Unlock()
	rec := &pageBuffer{header: http.Header{}, code: http.StatusOK}
	s.Layout("form.html")(rec, r)
	body := rec.body.Bytes()
	if p != DefaultShortTitlePlaceholder {
		attr := ""
		if p != "" {
			attr = ` placeholder="` + html.EscapeString(p) + `"`
		}
		body = bytes.Replace(body, []byte(` placeholder="`+DefaultShortTitlePlaceholder+`"`), []byte(attr), 1)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(rec.code)
	_, _ = w.Write(body)
}

// pageBuffer holds a page's answer so that handleForm can edit it.
type pageBuffer struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *pageBuffer) Header() http.Header         { return b.header }
func (b *pageBuffer) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *pageBuffer) WriteHeader(code int)        { b.code = code }

// handleRealName answers the form's look at the real-name check: whether
// the form must show it on opening (RealNameOnOpen), whether the phone
// finished it, and then the ticket the next publish carries. The dialog's
// QR code is the phone's URL.
func (s *Site) handleRealName(w http.ResponseWriter, r *http.Request) {
	code := s.VerificationCode()
	s.mu.Lock()
	open, done := s.realNameOpen && code != "", s.realNameDone && code != ""
	s.mu.Unlock()
	data := map[string]any{"required": open, "done": done}
	if done {
		data["ticket"] = code
	}
	if code != "" {
		png, err := qrcode.Encode(fmt.Sprintf("http://%s/__fake__/realname", r.Host), qrcode.Medium, 160)
		if err == nil {
			data["qrcode"] = "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
		}
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: data})
}
