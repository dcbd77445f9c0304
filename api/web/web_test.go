package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fanout/api/apitest"
	"fanout/api/httpx"
)

// webAPI serves a small built app from a temporary directory.
func webAPI(t *testing.T) *apitest.API {
	t.Helper()
	a := apitest.Setup(t)
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "assets"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>app</title>"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "assets", "app.js"), []byte("console.log(1)"), 0o644))
	// A secret next to the app directory that traversal must not reach.
	must(os.WriteFile(filepath.Join(filepath.Dir(dir), "secret.txt"), []byte("s3cr3t-content"), 0o644))
	cfg := a.Config()
	cfg.WebDir = dir
	a.Serve(cfg)
	return a
}

func TestServesTheAppAndItsAssets(t *testing.T) {
	a := webAPI(t)
	a.Token = ""
	if r := a.Do("GET", "/", nil, ""); r.Status != 200 || !strings.Contains(string(r.Body), "<title>app</title>") {
		t.Fatalf("GET /: %d %s", r.Status, r.Body)
	}
	if r := a.Do("GET", "/assets/app.js", nil, ""); r.Status != 200 || string(r.Body) != "console.log(1)" {
		t.Fatalf("GET /assets/app.js: %d %s", r.Status, r.Body)
	}
	// Unknown paths keep the API's own 404 envelope; POSTs never read files.
	a.Do("GET", "/assets/missing.js", nil, "").WantError(t, 404, "not_found", "")
	a.Do("POST", "/assets/app.js", nil, "").WantError(t, 404, "not_found", "")
	for _, p := range []string{"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"} {
		if r := a.Do("GET", p, nil, ""); r.Status == 200 || strings.Contains(string(r.Body), "s3cr3t-content") {
			t.Fatalf("GET %s reached a file outside the app: %d %s", p, r.Status, r.Body)
		}
	}
	// The API still answers beside the app.
	a.Do("GET", "/api/v1/tasks", nil, "").WantError(t, 401, "unauthorized", "")
}

func TestTokenPageOpensASession(t *testing.T) {
	a := webAPI(t)
	token := a.Token
	a.Token = ""
	if r := a.Do("GET", "/ui/token?next=/accounts", nil, ""); r.Status != 200 || !strings.Contains(string(r.Body), `name="token"`) {
		t.Fatalf("GET /ui/token: %d %s", r.Status, r.Body)
	}
	post := func(token, next string) (*http.Response, string) {
		form := url.Values{"token": {token}, "next": {next}}
		res, err := http.PostForm(a.Srv.URL+"/ui/token", form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return res, b.String()
	}
	res, body := post("fo_not-a-token", "/")
	if res.StatusCode != 401 || len(res.Cookies()) != 0 || strings.Contains(body, "localStorage") {
		t.Fatalf("bad token: %d cookies %v body %s", res.StatusCode, res.Cookies(), body)
	}
	res, body = post(token, "//evil.example/x")
	if res.StatusCode != 200 {
		t.Fatalf("good token: %d %s", res.StatusCode, body)
	}
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.Value == token || !strings.HasPrefix(cookie.Value, "fs_") {
		t.Fatalf("session cookie %+v", cookie)
	}
	if !strings.Contains(body, "localStorage.setItem('token'") || !strings.Contains(body, token) {
		t.Fatalf("page does not hand the token to the app: %s", body)
	}
	if strings.Contains(body, "evil.example") {
		t.Fatalf("open redirect: %s", body)
	}
}
