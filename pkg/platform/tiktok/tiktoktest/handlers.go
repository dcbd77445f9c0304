package tiktoktest

import (
	"embed"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

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
	// The pages of the site speak the browser's language; the login pages
	// are English only here (the driver asks for lang=en there, as SAU does,
	// TK:67).
	s.HandleFunc("GET /{$}", s.localized(s.Page("home.html")))
	s.HandleFunc("GET /foryou", s.localized(s.Page("home.html")))
	s.HandleFunc("GET /login", s.LoggedOut("/foryou", s.Page("login.html")))
	s.HandleFunc("GET /login/qrcode", s.LoggedOut("/foryou", s.Page("login-qr.html")))
	s.HandleFunc("POST "+apiGetQR, s.HandleNewQR("token", "qrcode"))
	s.HandleFunc("GET "+apiCheckQR, s.HandleQRCheck("token", "/foryou"))

	s.HandleFunc("GET "+studioUpload, s.localized(s.Authed(s.Layout("upload.html"))))
	s.HandleFunc("GET /tiktokstudio/content", s.localized(s.Authed(s.Landing(s.PostsPage("content.html")))))

	s.HandleUploads(apiUpload, apiUploadSt, apiCover)
	s.HandleFunc("POST "+apiPost, s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"item_id": p.ID}
	})))
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	StatusCode int    `json:"status_code"`
	StatusMsg  string `json:"status_msg,omitempty"`
	Data       any    `json:"data,omitempty"`
}
