package xiaohongshutest

import (
	"embed"
	"net/http"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// Paths the real site uses.
const (
	pathLogin   = "/login"
	pathHome    = "/new/home"
	pathPublish = "/publish/publish"
	pathSuccess = "/publish/success"
	pathManage  = "/new/note-manager"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut(pathHome, http.RedirectHandler(pathLogin, http.StatusFound).ServeHTTP))
	s.HandleFunc("GET "+pathLogin, s.LoggedOut(pathHome, s.Page("login.html")))
	s.HandleFunc("POST /api/cas/customer/web/qr-code", s.handleNewQR)
	s.HandleFunc("GET /qr/{file}", s.handleQRImage)
	s.HandleFunc("GET /api/cas/customer/web/qr-code", s.HandleQRCheck("qr_id", pathHome))

	s.HandleFunc("GET "+pathHome, s.Authed(s.Page("home.html")))
	s.HandleFunc("GET "+pathPublish, s.Authed(s.Layout("publish.html")))
	// The page an accepted publish lands on; DelayManage slows it down
	// once per publish.
	s.HandleFunc("GET "+pathSuccess, s.Authed(s.Landing(s.Page("success.html"))))
	s.HandleFunc("GET "+pathManage, s.Authed(s.PostsPage("manage.html")))

	// The fake's own knob the publish page reads (UploadDoneSignal).
	s.HandleFunc("GET /__fake__/xhs/upload-done", s.handleDoneSignal)
	s.HandleUploads("/api/media/v1/upload/creator/video", "/api/media/v1/upload/creator/video/status", "/api/media/v1/upload/creator/image")
	s.HandleImageUpload("/api/media/v1/upload/creator/note-image") // assumed path
	s.HandleFunc("POST /web_api/sns/v2/note", s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"id": fakesite.RandomID(12), "title": p.Title}
	})))
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	Code    int    `json:"code"`
	Success bool   `json:"success"`
	Msg     string `json:"msg,omitempty"`
	Data    any    `json:"data,omitempty"`
}
