package kuaishoutest

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"time"
)

//go:embed web
var webFS embed.FS

var manageTmpl = template.Must(template.New("manage.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04:05") },
}).ParseFS(webFS, "web/manage.html"))

// beijing is the wall clock of the schedule input (China has no DST).
var beijing = time.FixedZone("CST", 8*3600)

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

func (s *Site) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.handleLanding)

	// passport.kuaishou.com
	mux.HandleFunc("GET "+pathLogin, s.handleLogin)
	mux.HandleFunc("POST /rest/c/infra/ks/qr/start", s.handleQRStart)
	mux.HandleFunc("GET /rest/c/infra/ks/qr/scanResult", s.handleQRStatus)
	// cp.kuaishou.com
	mux.HandleFunc("GET "+pathSTS, s.handleSTS)
	mux.HandleFunc("GET "+pathProfile, s.authed(s.page("home.html")))
	mux.HandleFunc("GET "+pathPublish, s.authed(s.handleApp))
	mux.HandleFunc("GET "+pathManage, s.authed(s.handleManage))

	mux.HandleFunc("POST /rest/cp/works/v2/video/pc/upload", s.api(s.handleUpload))
	mux.HandleFunc("GET /rest/cp/works/v2/video/pc/upload/status", s.api(s.handleUploadStatus))
	mux.HandleFunc("POST /rest/cp/works/v2/video/pc/cover/upload", s.api(s.handleCoverUpload))
	mux.HandleFunc("POST /rest/cp/works/v2/video/pc/submit", s.api(s.handleSubmit))

	s.fakeRoutes(mux)
	return mux
}

// loginURL is the passport login the real creator pages send a logged-out
// browser to, with the callback that brings it back to followPath.
func loginURL(r *http.Request, followPath string) string {
	base := "http://" + r.Host
	follow := base + followPath
	callback := base + pathSTS + "?followUrl=" + url.QueryEscape(follow) + "&setRootDomain=true"
	return pathLogin + "?sid=" + sid + "&callback=" + url.QueryEscape(callback)
}

// authed sends a browser without a valid session to the passport login, as
// the real creator pages do.
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			clearSession(w)
			http.Redirect(w, r, loginURL(r, pathPublish), http.StatusFound)
			return
		}
		h(w, r)
	}
}

// api answers 401 to a request without a valid session; the page's script
// then goes to the passport login.
func (s *Site) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			writeJSON(w, http.StatusUnauthorized, apiResp{Result: 109, Message: "用户未登录", Data: map[string]string{"login_url": loginURL(r, pathPublish)}})
			return
		}
		h(w, r)
	}
}

func clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
}

func (s *Site) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := webFS.ReadFile("web/" + name)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(b)
	}
}

func (s *Site) handleLanding(w http.ResponseWriter, r *http.Request) {
	if s.loggedIn(r) {
		http.Redirect(w, r, pathProfile, http.StatusFound)
		return
	}
	s.page("landing.html")(w, r)
}

// handleLogin serves the passport login form. A browser that is already
// logged in goes straight to the callback, as on the real passport.
func (s *Site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.loggedIn(r) {
		http.Redirect(w, r, localPath(r.URL.Query().Get("callback"), pathProfile), http.StatusFound)
		return
	}
	s.page("login.html")(w, r)
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
		if s.loggedIn(r) {
			http.Redirect(w, r, localPath(q.Get("followUrl"), pathProfile), http.StatusFound)
			return
		}
		http.Redirect(w, r, loginURL(r, pathPublish), http.StatusFound)
		return
	}
	for _, c := range s.cookiesFor(session) {
		http.SetCookie(w, &http.Cookie{
			Name: c.Name, Value: c.Value, Path: "/", HttpOnly: c.HTTPOnly,
			MaxAge: int((30 * 24 * time.Hour).Seconds()), SameSite: http.SameSiteLaxMode,
		})
	}
	http.Redirect(w, r, localPath(q.Get("followUrl"), pathProfile), http.StatusFound)
}

func (s *Site) handleApp(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	broken := s.brokenLayout
	s.mu.Unlock()
	if broken {
		s.page("redesign.html")(w, r)
		return
	}
	s.page("app.html")(w, r)
}

func (s *Site) handleManage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	due := s.manageDelayDue && r.URL.Query().Get("from") == "publish"
	if due {
		s.manageDelayDue = false
	}
	posts := make([]Post, 0, len(s.posts))
	for i := len(s.posts) - 1; i >= 0; i-- {
		posts = append(posts, s.posts[i])
	}
	s.mu.Unlock()
	if due {
		s.sleep(r, DelayManage)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := manageTmpl.Execute(w, map[string]any{"Posts": posts}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
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

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Site) handleQRStart(w http.ResponseWriter, r *http.Request) {
	token, dataURL, err := s.newQR(r)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiResp{Result: 500, Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: map[string]string{"qrLoginToken": token, "imageData": dataURL}})
}

// handleQRStatus answers the login page's poll. A confirmed code gets a
// one-time auth token the page passes to the callback (/rest/infra/sts).
func (s *Site) handleQRStatus(w http.ResponseWriter, r *http.Request) {
	state, session := s.qrStatus(r.URL.Query().Get("qrLoginToken"))
	data := map[string]string{"status": state}
	if state == qrConfirmed {
		s.sleep(r, DelayLogin)
		tok := randomID(12)
		s.mu.Lock()
		s.authTokens[tok] = session
		s.mu.Unlock()
		data["authToken"] = tok
	}
	writeJSON(w, http.StatusOK, apiResp{Result: resultOK, Data: data})
}
