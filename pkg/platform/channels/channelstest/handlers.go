package channelstest

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

var listTmpl = template.Must(template.New("list.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04") },
}).ParseFS(webFS, "web/list.html"))

// beijing is the zone the post list shows times in.
var beijing = time.FixedZone("CST", 8*3600)

// API paths, shaped like the real site's cgi-bin endpoints.
const (
	apiPrefix      = "/cgi-bin/mmfinderassistant-bin"
	apiLoginCode   = apiPrefix + "/auth/auth_login_code"
	apiLoginQRCode = apiPrefix + "/auth/auth_login_qrcode"
	apiLoginStatus = apiPrefix + "/auth/auth_login_status"
	apiUpload      = apiPrefix + "/upload/upload_video"
	apiUploadState = apiPrefix + "/upload/upload_status"
	apiCover       = apiPrefix + "/upload/upload_cover"
	apiPostCreate  = apiPrefix + "/post/post_create"
)

func (s *Site) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if s.loggedIn(r) {
			http.Redirect(w, r, "/platform", http.StatusFound)
			return
		}
		http.Redirect(w, r, "/login.html", http.StatusFound)
	})
	mux.HandleFunc("GET /login.html", s.handleLogin)
	mux.HandleFunc("GET /login-for-iframe", s.page("login-frame.html"))
	mux.HandleFunc("POST "+apiLoginCode, s.handleLoginCode)
	mux.HandleFunc("GET "+apiLoginQRCode, s.handleLoginQRCode)
	mux.HandleFunc("GET "+apiLoginStatus, s.handleLoginStatus)

	mux.HandleFunc("GET /platform", s.authed(s.page("home.html")))
	mux.HandleFunc("GET /platform/{$}", s.authed(s.page("home.html")))
	mux.HandleFunc("GET /platform/post/create", s.authed(s.page("create.html")))
	mux.HandleFunc("GET /micro/content/post/create", s.authed(s.handleForm))
	mux.HandleFunc("GET /platform/post/list", s.authed(s.handleList))

	mux.HandleFunc("POST "+apiUpload, s.api(s.handleUpload))
	mux.HandleFunc("GET "+apiUploadState, s.api(s.handleUploadStatus))
	mux.HandleFunc("POST "+apiCover, s.api(s.handleCoverUpload))
	mux.HandleFunc("POST "+apiPostCreate, s.api(s.handleCreate))

	s.fakeRoutes(mux)
	return mux
}

// authed sends a browser without a valid session to the login page, as the
// real pages do.
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			clearSession(w)
			http.Redirect(w, r, "/login.html", http.StatusFound)
			return
		}
		h(w, r)
	}
}

// api answers 401 to a request without a valid session; the page's script
// then sends the top window to the login page.
func (s *Site) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			writeJSON(w, http.StatusUnauthorized, apiResp{ErrCode: 300334, ErrMsg: "登录已失效"})
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
		http.Redirect(w, r, "/platform", http.StatusFound)
		return
	}
	s.page("login.html")(w, r)
}

func (s *Site) handleForm(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	broken := s.brokenLayout
	s.mu.Unlock()
	if broken {
		s.page("redesign.html")(w, r)
		return
	}
	s.page("form.html")(w, r)
}

func (s *Site) handleList(w http.ResponseWriter, r *http.Request) {
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
	if err := listTmpl.Execute(w, map[string]any{"Posts": posts}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	ErrCode int    `json:"errCode"`
	ErrMsg  string `json:"errMsg,omitempty"`
	Data    any    `json:"data,omitempty"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Site) handleLoginCode(w http.ResponseWriter, r *http.Request) {
	token, err := s.newQR(r)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiResp{ErrCode: 1, ErrMsg: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]string{"token": token}})
}

func (s *Site) handleLoginQRCode(w http.ResponseWriter, r *http.Request) {
	png := s.qrPNG(r.URL.Query().Get("token"))
	if png == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}

// Login status codes the frame's poll gets, as numbers like the real API.
var loginStatus = map[string]int{qrNew: 0, qrConfirmed: 1, qrScanned: 5, qrExpired: 4}

func (s *Site) handleLoginStatus(w http.ResponseWriter, r *http.Request) {
	state, session := s.qrStatus(r.URL.Query().Get("token"))
	if state == qrConfirmed {
		s.sleep(r, DelayLogin)
		age := int((4 * 24 * time.Hour).Seconds())
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: session, Path: "/", HttpOnly: true, MaxAge: age, SameSite: http.SameSiteLaxMode})
		http.SetCookie(w, &http.Cookie{Name: UinCookie, Value: uin(session), Path: "/", MaxAge: age, SameSite: http.SameSiteLaxMode})
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]any{"status": loginStatus[state]}})
}
