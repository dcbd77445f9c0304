package xiaohongshutest

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

var manageTmpl = template.Must(template.New("manage.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(fakesite.Beijing).Format("2006-01-02 15:04") },
}).ParseFS(pages, "manage.html"))

// Paths the real site uses.
const (
	pathLogin   = "/login"
	pathHome    = "/new/home"
	pathPublish = "/publish/publish"
	pathSuccess = "/publish/success"
	pathManage  = "/new/note-manager"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if s.LoggedIn(r) {
			http.Redirect(w, r, pathHome, http.StatusFound)
			return
		}
		http.Redirect(w, r, pathLogin, http.StatusFound)
	})
	s.HandleFunc("GET "+pathLogin, s.handleLogin)
	s.HandleFunc("POST /api/cas/customer/web/qr-code", s.HandleNewQR("qr_id", "url"))
	s.HandleFunc("GET /api/cas/customer/web/qr-code", s.HandleQRCheck("qr_id", pathHome))

	s.HandleFunc("GET "+pathHome, s.Authed(s.Page("home.html")))
	s.HandleFunc("GET "+pathPublish, s.Authed(s.Layout("app.html")))
	// The page an accepted publish lands on; DelayManage slows it down
	// once per publish.
	s.HandleFunc("GET "+pathSuccess, s.Authed(s.Landing(s.Page("success.html"))))
	s.HandleFunc("GET "+pathManage, s.Authed(s.PostsPage(manageTmpl)))

	s.HandleFunc("POST /api/media/v1/upload/creator/video", s.API(s.HandleVideoUpload))
	s.HandleFunc("GET /api/media/v1/upload/creator/video/status", s.API(s.HandleUploadStatus))
	s.HandleFunc("POST /api/media/v1/upload/creator/image", s.API(s.HandleCoverUpload))
	s.HandleFunc("POST /web_api/sns/v2/note", s.API(fakesite.Submit(s.Kernel, func(req noteReq) (any, string) {
		p, msg := s.accept(req)
		return map[string]any{"id": fakesite.RandomID(12), "title": p.Title}, msg
	})))
}

func (s *Site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.LoggedIn(r) {
		http.Redirect(w, r, pathHome, http.StatusFound)
		return
	}
	s.Page("login.html")(w, r)
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	Code    int    `json:"code"`
	Success bool   `json:"success"`
	Msg     string `json:"msg,omitempty"`
	Data    any    `json:"data,omitempty"`
}

func ok(data any) apiResp { return apiResp{Success: true, Data: data} }
