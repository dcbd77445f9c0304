package kuaishoutest

import (
	"embed"
	"net/http"
	"net/url"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

// Paths the real sites use; the fake serves passport and creator pages on
// one host.
const (
	pathLogin   = "/pc/account/login/"
	pathSTS     = "/rest/infra/sts"
	pathProfile = "/profile"
	pathPublish = "/article/publish/video"
	pathManage  = "/article/manage/video"
	// sid is the passport's service id of the creator platform.
	sid = "kuaishou.web.cp.api"
)

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut(pathProfile, s.Page("landing.html")))

	// passport.kuaishou.com
	s.HandleFunc("GET "+pathLogin, s.handleLogin)
	s.HandleFunc("POST /rest/c/infra/ks/qr/start", s.HandleNewQR("qrLoginToken", "imageData"))
	s.HandleFunc("GET /rest/c/infra/ks/qr/scanResult", s.handleQRStatus)
	// cp.kuaishou.com
	s.HandleFunc("GET "+pathSTS, s.handleSTS)
	s.HandleFunc("GET "+pathProfile, s.Authed(s.Page("home.html")))
	s.HandleFunc("GET "+pathPublish, s.Authed(s.Layout("publish.html")))
	s.HandleFunc("GET "+pathManage, s.Authed(s.manage()))

	s.HandleUploads("/rest/cp/works/v2/video/pc/upload", "/rest/cp/works/v2/video/pc/upload/status", "/rest/cp/works/v2/video/pc/cover/upload")
	s.HandleImageUpload("/rest/cp/works/v2/photo/pc/upload") // assumed path
	s.HandleFunc("POST /rest/cp/works/v2/video/pc/submit", s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"photoId": fakesite.RandomID(8), "title": p.Title}
	})))
}

// loginURL is the passport login the real creator pages send a logged-out
// browser to, with the callback that brings it back to followPath.
func loginURL(r *http.Request, followPath string) string {
	base := "http://" + r.Host
	follow := base + followPath
	callback := base + pathSTS + "?followUrl=" + url.QueryEscape(follow) + "&setRootDomain=true"
	return pathLogin + "?sid=" + sid + "&callback=" + url.QueryEscape(callback)
}

// handleLogin serves the passport login form. A browser that is already
// logged in goes straight to the callback, as on the real passport.
func (s *Site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.LoggedIn(r) {
		http.Redirect(w, r, localPath(r.URL.Query().Get("callback"), pathProfile), http.StatusFound)
		return
	}
	s.Page("login.html")(w, r)
}

// localPath returns the path and query of u, or def when u is empty or not
// a URL: the fake follows callbacks only on its own host.
func localPath(u, def string) string {
	p, err := url.Parse(u)
	if err != nil || p.Path == "" || p.Path[0] != '/' {
		return def
	}
	if p.RawQuery != "" {
		return p.Path + "?" + p.RawQuery
	}
	return p.Path
}

// handleSTS exchanges the one-time token of a confirmed QR login for the
// creator site's session cookies and continues to followUrl.
func (s *Site) handleSTS(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	session, ok := s.authTokens[q.Get("authToken")]
	delete(s.authTokens, q.Get("authToken"))
	s.mu.Unlock()
	if !ok {
		// No token: a browser that is already logged in just continues.
		if s.LoggedIn(r) {
			http.Redirect(w, r, localPath(q.Get("followUrl"), pathProfile), http.StatusFound)
			return
		}
		http.Redirect(w, r, loginURL(r, pathPublish), http.StatusFound)
		return
	}
	s.SetSessionCookies(w, session)
	http.Redirect(w, r, localPath(q.Get("followUrl"), pathProfile), http.StatusFound)
}

// manage lists the published works; it is where a publish lands
// (from=publish), which DelayManage slows down once per publish.
func (s *Site) manage() http.HandlerFunc {
	posts := s.PostsPage("manage.html")
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("from") == "publish" {
			s.LandingDelay(r)
		}
		posts(w, r)
	}
}

// apiResp is the envelope of every JSON answer, shaped like the real API's
// ({"result": 1, ...} is success there).
type apiResp struct {
	Result  int    `json:"result"`
	Message string `json:"message,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// resultOK is the real API's success code.
const resultOK = 1

// handleQRStatus answers the login page's poll. A confirmed code gets a
// one-time auth token the page passes to the callback (/rest/infra/sts).
func (s *Site) handleQRStatus(w http.ResponseWriter, r *http.Request) {
	state, session := s.QRStatus(r.URL.Query().Get("qrLoginToken"))
	data := map[string]string{"status": state}
	if state == fakesite.QRConfirmed {
		s.Sleep(r, fakesite.DelayLogin)
		tok := fakesite.RandomID(12)
		s.mu.Lock()
		s.authTokens[tok] = session
		s.mu.Unlock()
		data["authToken"] = tok
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: data})
}
