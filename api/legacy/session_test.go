package legacy_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"fanout/api/httpx"
)

// The session cookie holds an opaque id, never the API token; it opens the
// link routes only, and revoking the token ends it.
func TestSessionCookieIsOpaqueAndRevocable(t *testing.T) {
	a := sauSetup(t, nil)
	path := a.SauUpload()
	req, _ := http.NewRequest("GET", a.Srv.URL+"/getAccounts", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == httpx.SessionCookie {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value == a.Token || strings.Contains(cookie.Value, strings.TrimPrefix(a.Token, "fo_")) || !strings.HasPrefix(cookie.Value, "fs_") {
		t.Fatalf("session cookie %+v carries the token or is missing", cookie)
	}
	get := func(url string) int {
		req, _ := http.NewRequest("GET", a.Srv.URL+url, nil)
		req.AddCookie(cookie)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := get("/getFile?filename=" + path); st != 200 {
		t.Fatalf("link route with the session cookie: %d", st)
	}
	if st := get("/getAccounts"); st != 401 {
		t.Fatalf("non-link route with the session cookie: %d", st)
	}
	// The id is not a token either.
	req, _ = http.NewRequest("GET", a.Srv.URL+"/getAccounts", nil)
	req.Header.Set("Authorization", "Bearer "+cookie.Value)
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 401 {
		t.Fatalf("session id as a bearer token: %d", res.StatusCode)
	}
	if n, err := a.Store.RevokeTokens(context.Background(), "test"); err != nil || n != 1 {
		t.Fatalf("revoke: %d %v", n, err)
	}
	if st := get("/getFile?filename=" + path); st != 401 {
		t.Fatalf("link route after the token was revoked: %d", st)
	}
}
