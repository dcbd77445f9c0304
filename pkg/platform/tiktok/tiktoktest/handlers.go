package tiktoktest

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"fanout/pkg/platform/fakesite"
)

//go:embed web
var webFS embed.FS

// pages is the site's pages and assets.
var pages, _ = fs.Sub(webFS, "web")

var contentTmpl = template.Must(template.New("content.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.UTC().Format("Jan 2, 15:04 UTC") },
}).ParseFS(pages, "content.html"))

// API paths, shaped like the real site's.
const (
	apiGetQR     = "/passport/web/get_qrcode/"
	apiCheckQR   = "/passport/web/check_qrconnect/"
	apiUpload    = "/tiktok/web/project/upload/"
	apiUploadSt  = "/tiktok/web/project/upload/status/"
	apiCover     = "/tiktok/web/project/cover/upload/"
	apiPost      = "/tiktok/web/project/post/"
	studioUpload = "/tiktokstudio/upload"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.Page("home.html"))
	s.HandleFunc("GET /foryou", s.Page("home.html"))
	s.HandleFunc("GET /login", s.loggedOut(s.Page("login.html")))
	s.HandleFunc("GET /login/qrcode", s.loggedOut(s.Page("login-qr.html")))
	s.HandleFunc("POST "+apiGetQR, s.HandleNewQR("token", "qrcode"))
	s.HandleFunc("GET "+apiCheckQR, s.HandleQRCheck("token", "/foryou"))

	s.HandleFunc("GET "+studioUpload, s.Authed(s.Layout("upload.html")))
	s.HandleFunc("GET /tiktokstudio/content", s.Authed(s.Landing(s.PostsPage(contentTmpl))))

	s.HandleFunc("POST "+apiUpload, s.API(s.HandleVideoUpload))
	s.HandleFunc("GET "+apiUploadSt, s.API(s.HandleUploadStatus))
	s.HandleFunc("POST "+apiCover, s.API(s.HandleCoverUpload))
	s.HandleFunc("POST "+apiPost, s.API(fakesite.Submit(s.Kernel, func(req createReq) (any, string) {
		p, msg := s.accept(req)
		return map[string]any{"item_id": p.ID}, msg
	})))
}

// loggedOut sends a logged-in browser away from the login pages.
func (s *Site) loggedOut(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.LoggedIn(r) {
			http.Redirect(w, r, "/foryou", http.StatusFound)
			return
		}
		h(w, r)
	}
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	StatusCode int    `json:"status_code"`
	StatusMsg  string `json:"status_msg,omitempty"`
	Data       any    `json:"data,omitempty"`
}
