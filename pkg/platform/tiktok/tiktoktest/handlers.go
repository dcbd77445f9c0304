package tiktoktest

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

var contentTmpl = template.Must(template.New("content.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.UTC().Format("Jan 2, 15:04 UTC") },
}).ParseFS(webFS, "web/content.html"))

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

func (s *Site) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.page("home.html"))
	mux.HandleFunc("GET /foryou", s.page("home.html"))
	mux.HandleFunc("GET /login", s.loggedOut(s.page("login.html")))
	mux.HandleFunc("GET /login/qrcode", s.loggedOut(s.page("login-qr.html")))
	mux.HandleFunc("POST "+apiGetQR, s.handleGetQR)
	mux.HandleFunc("GET "+apiCheckQR, s.handleCheckQR)

	mux.HandleFunc("GET /tiktokstudio/upload", s.authed(s.handleUploadPage))
	mux.HandleFunc("GET /tiktokstudio/content", s.authed(s.handleContent))

	mux.HandleFunc("POST "+apiUpload, s.api(s.handleUpload))
	mux.HandleFunc("GET "+apiUploadSt, s.api(s.handleUploadStatus))
	mux.HandleFunc("POST "+apiCover, s.api(s.handleCoverUpload))
	mux.HandleFunc("POST "+apiPost, s.api(s.handleCreate))

	s.fakeRoutes(mux)
	return mux
}

// authed sends a browser without a valid session to the login page, as
// TikTok Studio does.
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			clearSession(w)
			http.Redirect(w, r, "/login?lang=en&enter_method=mandatory&redirect_url="+url.QueryEscape(r.URL.String()), http.StatusFound)
			return
		}
		h(w, r)
	}
}

// loggedOut sends a logged-in browser away from the login pages.
func (s *Site) loggedOut(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.loggedIn(r) {
			http.Redirect(w, r, "/foryou", http.StatusFound)
			return
		}
		h(w, r)
	}
}

// api answers 401 to a request without a valid session; the page's script
// then goes to the login page.
func (s *Site) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			writeJSON(w, http.StatusUnauthorized, apiResp{StatusCode: 8, StatusMsg: "Please log in"})
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

func (s *Site) handleUploadPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	broken := s.brokenLayout
	s.mu.Unlock()
	if broken {
		s.page("redesign.html")(w, r)
		return
	}
	s.page("upload.html")(w, r)
}

func (s *Site) handleContent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	due := s.manageDelayDue
	s.manageDelayDue = false
	posts := make([]Post, 0, len(s.posts))
	for i := len(s.posts) - 1; i >= 0; i-- {
		posts = append(posts, s.posts[i])
	}
	s.mu.Unlock()
	if due {
		s.sleep(r, DelayManage)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := contentTmpl.Execute(w, map[string]any{"Posts": posts}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	StatusCode int    `json:"status_code"`
	StatusMsg  string `json:"status_msg,omitempty"`
	Data       any    `json:"data,omitempty"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Site) handleGetQR(w http.ResponseWriter, r *http.Request) {
	token, dataURL, err := s.newQR(r)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiResp{StatusCode: 1, StatusMsg: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]string{"token": token, "qrcode": dataURL}})
}

func (s *Site) handleCheckQR(w http.ResponseWriter, r *http.Request) {
	state, session := s.qrStatus(r.URL.Query().Get("token"))
	data := map[string]string{"status": state}
	if state == qrConfirmed {
		s.sleep(r, DelayLogin)
		age := int((60 * 24 * time.Hour).Seconds())
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: session, Path: "/", HttpOnly: true, MaxAge: age, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: SidCookie, Value: session, Path: "/", HttpOnly: true, MaxAge: age, SameSite: http.SameSiteLaxMode})
		data["redirect_url"] = "/foryou"
	}
	writeJSON(w, http.StatusOK, apiResp{Data: data})
}
