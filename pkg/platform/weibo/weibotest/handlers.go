package weibotest

import (
	"embed"
	"net/http"
	"strconv"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// Paths. The home, the visitor login and the passport sign-in are the
// reference's (§3.9; W:30-33); the publish page and the API paths are
// assumed.
const (
	pathHome     = "/"
	pathNewLogin = "/newlogin?tabtype=weibo&gid=102803&openLoginLayer=0&url=https%3A%2F%2Fweibo.com%2F"
	pathSignin   = "/sso/signin"
	pathPublish  = "/upload/channel"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.Authed(s.PostsPage("home.html")))
	s.HandleFunc("GET /newlogin", s.LoggedOut(pathHome, s.Page("newlogin.html")))

	// passport.weibo.com
	s.HandleFunc("GET "+pathSignin, s.LoggedOut(pathHome, s.Page("login.html")))
	s.HandleFunc("POST /sso/v2/qrcode/image", s.handleNewQR)
	s.HandleFunc("GET /sso/v2/qrcode/show", s.handleQRImage)
	s.HandleFunc("GET /sso/v2/qrcode/check", s.HandleQRCheck("qrid", pathHome))

	// weibo.com
	s.HandleFunc("GET "+pathPublish, s.Authed(s.Layout("publish.html")))
	s.HandleUploads("/ajax/multimedia/upload", "/ajax/multimedia/status", "/ajax/multimedia/picupload")
	s.HandleFunc("POST /ajax/video/publish", s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"mid": fakesite.RandomID(8), "title": p.Title}
	})))
	// The page asks how the post stands before it shows its success layer
	// (assumed), an answer DelayManage slows down once per publish, as the
	// page an accepted publish lands on on the other sites.
	s.HandleFunc("GET /ajax/video/result", s.API(s.Landing(func(w http.ResponseWriter, r *http.Request) {
		fakesite.WriteJSON(w, http.StatusOK, apiResp{OK: 1, Data: map[string]string{"status": "transcoding"}})
	})))
}

// handleNewQR issues a code whose image the page loads from a URL, as the
// passport's img[src*="qrcode"] does (§3.9 QR login: the tool downloads
// the image or screenshots it).
func (s *Site) handleNewQR(w http.ResponseWriter, r *http.Request) {
	token, _, err := s.NewQR(r)
	if err != nil {
		fakesite.WriteJSON(w, http.StatusInternalServerError, apiResp{OK: -1, Msg: err.Error()})
		return
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{OK: 1, Data: map[string]string{
		"qrid": token, "image": "/sso/v2/qrcode/show?qrcode=1&qrid=" + token,
	}})
}

// handleQRImage serves a code's PNG.
func (s *Site) handleQRImage(w http.ResponseWriter, r *http.Request) {
	png := s.QRImage(r.URL.Query().Get("qrid"))
	if png == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(png)))
	_, _ = w.Write(png)
}
