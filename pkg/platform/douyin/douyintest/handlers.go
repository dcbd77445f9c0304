package douyintest

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed web
var webFS embed.FS

var manageTmpl = template.Must(template.New("manage.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(beijing).Format("2006-01-02 15:04") },
}).ParseFS(webFS, "web/manage.html"))

// beijing is the wall clock of the schedule input (China has no DST).
var beijing = time.FixedZone("CST", 8*3600)

func (s *Site) routes() *http.ServeMux {
	mux := http.NewServeMux()
	static, _ := fs.Sub(webFS, "web")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /{$}", s.handleLogin)
	mux.HandleFunc("POST /passport/web/get_qrcode/", s.handleGetQR)
	mux.HandleFunc("GET /passport/web/check_qrconnect/", s.handleCheckQR)

	mux.HandleFunc("GET /creator-micro/", s.authed(s.page("home.html")))
	mux.HandleFunc("GET /creator-micro/home", s.authed(s.page("home.html")))
	mux.HandleFunc("GET /creator-micro/content/upload", s.authed(s.handleApp))
	mux.HandleFunc("GET /creator-micro/content/post/video", s.authed(s.handleApp))
	mux.HandleFunc("GET /creator-micro/content/publish", s.authed(s.handleApp))
	mux.HandleFunc("GET /creator-micro/content/manage", s.authed(s.handleManage))

	mux.HandleFunc("POST /web/api/media/upload/", s.api(s.handleUpload))
	mux.HandleFunc("GET /web/api/media/upload/status/", s.api(s.handleUploadStatus))
	mux.HandleFunc("POST /web/api/media/cover/upload/", s.api(s.handleCoverUpload))
	mux.HandleFunc("POST /web/api/media/aweme/create/", s.api(s.handleCreate))
	mux.HandleFunc("POST /web/api/product/search/", s.api(s.handleProduct))

	s.fakeRoutes(mux)
	return mux
}

// authed sends a browser without a valid session to the login page, as the
// real creator pages do.
func (s *Site) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.loggedIn(r) {
			clearSession(w)
			http.Redirect(w, r, "/", http.StatusFound)
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
			writeJSON(w, http.StatusUnauthorized, apiResp{StatusCode: 8, StatusMsg: "用户未登录"})
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
		http.Redirect(w, r, "/creator-micro/home", http.StatusFound)
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

func (s *Site) handleManage(w http.ResponseWriter, r *http.Request) {
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
	if err := manageTmpl.Execute(w, map[string]any{"Posts": posts}); err != nil {
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
		http.SetCookie(w, &http.Cookie{
			Name: SessionCookie, Value: session, Path: "/", HttpOnly: true,
			MaxAge: int((30 * 24 * time.Hour).Seconds()), SameSite: http.SameSiteLaxMode,
		})
		data["redirect_url"] = "/creator-micro/home"
	}
	writeJSON(w, http.StatusOK, apiResp{Data: data})
}

// handleProduct checks a shopping-cart link. A link that contains
// "notfound" is unknown, so tests can reach 未搜索到对应商品.
func (s *Site) handleProduct(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Link string `json:"link"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Link == "" {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 1, StatusMsg: "请输入商品链接"})
		return
	}
	if strings.Contains(req.Link, "notfound") {
		writeJSON(w, http.StatusOK, apiResp{StatusCode: 2, StatusMsg: "未搜索到对应商品"})
		return
	}
	writeJSON(w, http.StatusOK, apiResp{Data: map[string]string{"name": "测试商品"}})
}
