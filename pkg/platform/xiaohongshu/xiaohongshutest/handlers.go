package xiaohongshutest

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"time"
)

//go:embed web
var webFS embed.FS

var manageTmpl = template.Must(template.New("manage.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04") },
}).ParseFS(webFS, "web/manage.html"))

// beijing is the wall clock of the schedule input (China has no DST).
var beijing = time.FixedZone("CST", 8*3600)

// Paths the real site uses.
const (
	pathLogin   = "/login"
	pathHome    = "/new/home"
	pathPublish = "/publish/publish"
	pathSuccess = "/publish/success"
	pathManage  = "/new/note-manager"
)

func (s *Site) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if s.loggedIn(r) {
			http.Redirect(w, r, pathHome, http.StatusFound)
			return
		}
		http.Redirect(w, r, pathLogin, http.StatusFound)
	})
	mux.HandleFunc("GET "+pathLogin, s.handleLogin)
	mux.HandleFunc("POST /api/cas/customer/web/qr-code", s.handleQRCreate)
	mux.HandleFunc("GET /api/cas/customer/web/qr-code", s.handleQRStatus)

	mux.HandleFunc("GET "+pathHome, s.authed(s.page("home.html")))
	mux.HandleFunc("GET "+pathPublish, s.authed(s.handleApp))
	mux.HandleFunc("GET "+pathSuccess, s.authed(s.handleSuccess))
	mux.HandleFunc("GET "+pathManage, s.authed(s.handleManage))

	mux.HandleFunc("POST /api/media/v1/upload/creator/video", s.api(s.handleUpload))
	mux.HandleFunc("GET /api/media/v1/upload/creator/video/status", s.api(s.handleUploadStatus))
	mux.HandleFunc("POST /api/media/v1/upload/creator/image", s.api(s.handleCoverUpload))
	mux.HandleFunc("POST /web_api/sns/v2/note", s.api(s.handleNote))

	s.fakeRoutes(mux)
	return mux
}

// authed sends a browser without a valid session to /login, as the real
// creator pages do.
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			clearSession(w)
			http.Redirect(w, r, pathLogin, http.StatusFound)
			return
		}
		h(w, r)
	}
}

// api answers 401 to a request without a valid session; the page's script
// then goes to /login.
func (s *Site) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			writeJSON(w, http.StatusUnauthorized, apiResp{Code: -100, Msg: "登录已过期"})
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

func (s *Site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.loggedIn(r) {
		http.Redirect(w, r, pathHome, http.StatusFound)
		return
	}
	s.page("login.html")(w, r)
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

// handleSuccess is the page an accepted publish lands on; DelayManage
// slows it down once per publish.
func (s *Site) handleSuccess(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	due := s.manageDelayDue
	s.manageDelayDue = false
	s.mu.Unlock()
	if due {
		s.sleep(r, DelayManage)
	}
	s.page("success.html")(w, r)
}

func (s *Site) handleManage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	posts := make([]Post, 0, len(s.posts))
	for i := len(s.posts) - 1; i >= 0; i-- {
		posts = append(posts, s.posts[i])
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := manageTmpl.Execute(w, map[string]any{"Posts": posts}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	Code    int    `json:"code"`
	Success bool   `json:"success"`
	Msg     string `json:"msg,omitempty"`
	Data    any    `json:"data,omitempty"`
}

func ok(data any) apiResp { return apiResp{Success: true, Data: data} }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Site) handleQRCreate(w http.ResponseWriter, r *http.Request) {
	token, dataURL, err := s.newQR(r)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiResp{Code: 500, Msg: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, ok(map[string]string{"qr_id": token, "url": dataURL}))
}

// handleQRStatus answers the login page's poll and sets the session cookie
// once the phone confirmed.
func (s *Site) handleQRStatus(w http.ResponseWriter, r *http.Request) {
	state, session := s.qrStatus(r.URL.Query().Get("qr_id"))
	data := map[string]string{"status": state}
	if state == qrConfirmed {
		s.sleep(r, DelayLogin)
		http.SetCookie(w, &http.Cookie{
			Name: SessionCookie, Value: session, Path: "/", HttpOnly: true,
			MaxAge: int((30 * 24 * time.Hour).Seconds()), SameSite: http.SameSiteLaxMode,
		})
		data["redirect_url"] = pathHome
	}
	writeJSON(w, http.StatusOK, ok(data))
}
