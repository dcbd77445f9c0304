package fakesite

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"testing"
)

// Client returns an HTTP client for a fake's tests: it keeps cookies like
// a browser and does not follow redirects, so a test sees where a page
// sends it.
func Client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Call sends an empty method request to url with c and decodes the JSON
// answer into out unless out is nil; a failed request or decode fails t.
func Call(t testing.TB, c *http.Client, method, url string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, url, err)
		}
	}
	return resp
}
