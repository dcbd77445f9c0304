package baijiahaotest

import (
	"embed"
	"net/http"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// Paths of the real site (platform-flows.md §3.7) and, where marked, of
// the fake's own invention.
const (
	pathLogin   = "/builder/theme/bjh/login"
	pathHome    = "/builder/rc/home"
	pathEdit    = "/builder/rc/edit"
	pathClue    = "/builder/rc/clue"
	pathContent = "/builder/rc/content"
	// The passport's QR image (B:QR_SELECTOR); the code's request and
	// poll paths are assumed.
	pathQRImage = "/v2/api/qrcode"
	pathQRNew   = "/v2/api/getqrcode"
	pathQRPoll  = "/channel/unicast"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut(pathHome, http.RedirectHandler(pathLogin, http.StatusFound).ServeHTTP))
	s.HandleFunc("GET "+pathLogin, s.LoggedOut(pathHome, s.Page("login.html")))
	s.HandleFunc("POST "+pathQRNew, s.HandleNewQR("sign", ""))
	s.HandleFunc("GET "+pathQRImage, s.handleQRImage)
	s.HandleFunc("GET "+pathQRPoll, s.HandleQRCheck("channel_id", pathHome))

	s.HandleFunc("GET "+pathHome, s.Authed(s.Page("home.html")))
	s.HandleFunc("GET "+pathEdit, s.Authed(s.Layout("edit.html")))
	s.HandleFunc("GET "+pathClue, s.Authed(s.Landing(s.Page("clue.html"))))
	s.HandleFunc("GET "+pathContent, s.Authed(s.PostsPage("content.html")))

	// Upload and publish endpoints (assumed).
	s.HandleUploads("/builder/api/video/upload", "/builder/api/video/status", "/builder/api/cover/upload")
	s.HandleFunc("POST /pcui/article/publish", s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"article_id": fakesite.RandomID(8), "title": p.Title}
	})))
}

// handleQRImage serves the PNG of the code ?sign= names, as the passport
// serves the image the login box shows (B:_grab_qr downloads it by URL).
func (s *Site) handleQRImage(w http.ResponseWriter, r *http.Request) {
	png := s.QRImage(r.URL.Query().Get("sign"))
	if png == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}
