package douyintest

import (
	"embed"
	"encoding/json"
	"net/http"
	"strings"

	"fanout/pkg/platform/fakesite"
)

// pages are the site's pages and assets, in its folder web.
//
//go:embed web
var pages embed.FS

func (s *Site) routes() {
	s.HandleFunc("GET /{$}", s.LoggedOut("/creator-micro/home", s.Page("login.html")))
	s.HandleFunc("POST /passport/web/get_qrcode/", s.HandleNewQR("token", "qrcode"))
	s.HandleFunc("GET /passport/web/check_qrconnect/", s.HandleQRCheck("token", "/creator-micro/home"))

	s.HandleFunc("GET /creator-micro/", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /creator-micro/home", s.Authed(s.Page("home.html")))
	s.HandleFunc("GET /creator-micro/content/upload", s.Authed(s.Layout("publish.html")))
	s.HandleFunc("GET /creator-micro/content/post/video", s.Authed(s.Layout("publish.html")))
	s.HandleFunc("GET /creator-micro/content/publish", s.Authed(s.Layout("publish.html")))
	s.HandleFunc("GET /creator-micro/content/post/image", s.Authed(s.Layout("publish.html")))
	s.HandleFunc("GET /creator-micro/content/manage", s.Authed(s.Landing(s.PostsPage("manage.html"))))

	s.HandleUploads("/web/api/media/upload/", "/web/api/media/upload/status/", "/web/api/media/cover/upload/")
	s.HandleImageUpload("/web/api/media/image/upload/") // assumed path
	s.HandleFunc("POST /web/api/media/aweme/create/", s.API(fakesite.Submit(s.Kernel, s.accept, func(p Post) any {
		return map[string]any{"item_id": fakesite.RandomID(8), "title": p.Title}
	})))
	s.HandleFunc("POST /web/api/product/search/", s.API(s.handleProduct))
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
