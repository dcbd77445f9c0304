package douyintest

import (
	"embed"
	"encoding/json"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"fanout/pkg/platform/fakesite"
)

//go:embed web
var webFS embed.FS

// pages is the site's pages and assets.
var pages, _ = fs.Sub(webFS, "web")

var manageTmpl = template.Must(template.New("manage.html").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(fakesite.Beijing).Format("2006-01-02 15:04") },
}).ParseFS(pages, "manage.html"))

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.handleLogin)
	s.HandleFunc("POST /passport/web/get_qrcode/", s.HandleNewQR("token", "qrcode"))
	s.HandleFunc("GET /passport/web/check_qrconnect/", s.HandleQRCheck("token", "/creator-micro/home"))

	s.HandleFunc("GET /creator-micro/", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /creator-micro/home", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /creator-micro/content/upload", s.Authed(s.Layout("app.html")))
	s.HandleFunc("GET /creator-micro/content/post/video", s.Authed(s.Layout("app.html")))
	s.HandleFunc("GET /creator-micro/content/publish", s.Authed(s.Layout("app.html")))
	s.HandleFunc("GET /creator-micro/content/manage", s.Authed(s.Landing(s.PostsPage(manageTmpl))))

	s.HandleFunc("POST /web/api/media/upload/", s.API(s.HandleVideoUpload))
	s.HandleFunc("GET /web/api/media/upload/status/", s.API(s.HandleUploadStatus))
	s.HandleFunc("POST /web/api/media/cover/upload/", s.API(s.HandleCoverUpload))
	s.HandleFunc("POST /web/api/media/aweme/create/", s.API(fakesite.Submit(s.Kernel, func(req createReq) (any, string) {
		p, msg := s.accept(req)
		return map[string]any{"item_id": fakesite.RandomID(8), "title": p.Title}, msg
	})))
	s.HandleFunc("POST /web/api/product/search/", s.API(s.handleProduct))
}

func (s *Site) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.LoggedIn(r) {
		http.Redirect(w, r, "/creator-micro/home", http.StatusFound)
		return
	}
	s.Page("login.html")(w, r)
}

// apiResp is the envelope of every JSON answer, shaped like the real API's.
type apiResp struct {
	StatusCode int    `json:"status_code"`
	StatusMsg  string `json:"status_msg,omitempty"`
	Data       any    `json:"data,omitempty"`
}

// handleProduct checks a shopping-cart link. A link that contains
// "notfound" is unknown, so tests can reach 未搜索到对应商品.
func (s *Site) handleProduct(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Link string `json:"link"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Link == "" {
		fakesite.WriteJSON(w, http.StatusOK, apiResp{StatusCode: 1, StatusMsg: "请输入商品链接"})
		return
	}
	if strings.Contains(req.Link, "notfound") {
		fakesite.WriteJSON(w, http.StatusOK, apiResp{StatusCode: 2, StatusMsg: "未搜索到对应商品"})
		return
	}
	fakesite.WriteJSON(w, http.StatusOK, apiResp{Data: map[string]string{"name": "测试商品"}})
}
