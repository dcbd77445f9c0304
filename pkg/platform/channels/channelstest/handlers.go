package channelstest

import (
	"embed"
	"net/http"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// API paths, shaped like the real site's cgi-bin endpoints.
const (
	apiPrefix      = "/cgi-bin/mmfinderassistant-bin"
	apiLoginCode   = apiPrefix + "/auth/auth_login_code"
	apiLoginQRCode = apiPrefix + "/auth/auth_login_qrcode"
	apiLoginStatus = apiPrefix + "/auth/auth_login_status"
	apiUpload      = apiPrefix + "/upload/upload_video"
	apiUploadState = apiPrefix + "/upload/upload_status"
	apiCover       = apiPrefix + "/upload/upload_cover"
	apiPostCreate  = apiPrefix + "/post/post_create"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut("/platform", http.RedirectHandler("/login.html", http.StatusFound).ServeHTTP))
	s.HandleFunc("GET /login.html", s.LoggedOut("/platform", s.Page("login.html")))
	s.HandleFunc("GET /login-for-iframe", s.Page("login-frame.html"))
	s.HandleFunc("POST "+apiLoginCode, s.HandleNewQR("token", ""))
	s.HandleFunc("GET "+apiLoginQRCode, s.handleLoginQRCode)
	s.HandleFunc("GET "+apiLoginStatus, s.handleLoginStatus)

	s.HandleFunc("GET /platform", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /platform/{$}", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /platform/post/create", s.Authed(s.Page("create.html")))
	s.HandleFunc("GET /micro/content/post/create", s.Authed(s.Layout("form.html")))
	s.HandleFunc("GET /platform/post/list", s.Authed(s.Landing(s.PostsPage("list.html"))))

	s.HandleUploads(apiUpload, apiUploadState, apiCover)
	s.HandleFunc("POST "+apiPostCreate, s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"object_id": fakesite.RandomID(8), "title": p.Title}
	})))
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	ErrCode int    `json:"errCode"`
	ErrMsg  string `json:"errMsg,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// handleLoginQRCode serves the image of a login code: the frame loads it
// from a relative URL, as the real one does.
func (s *Site) handleLoginQRCode(w http.ResponseWriter, r *http.Request) {
	png := s.QRImage(r.URL.Query().Get("token"))
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
	state, session := s.QRStatus(r.URL.Query().Get("token"))
	if state == fakesite.QRConfirmed {
		s.LogIn(w, r, session)
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: map[string]any{"status": loginStatus[state]}})
}
