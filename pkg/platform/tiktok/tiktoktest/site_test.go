package tiktoktest

import (
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutStudioRedirectsToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return strings.HasPrefix(loc, "/login?") }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, "/tiktokstudio/upload?lang=en", "/tiktokstudio/content")
	if resp := fakesite.Call(t, fakesite.Client(t), "POST", s.URL()+apiPost, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct {
			Data struct{ Token, Qrcode string }
		}
		fakesite.Call(t, c, "POST", s.URL()+apiGetQR, &qr)
		if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") {
			t.Errorf("get_qrcode = %+v, want a PNG data URL", qr)
		}
		return qr.Data.Token
	}, func(token string) string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+apiCheckQR+"?token="+token, &st)
		return st.Data.Status
	})
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/login", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("login page when logged in: status %d, want a redirect", resp.StatusCode)
	}
	fakesite.CheckSession(t, s.Kernel, c, studioUpload)
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := createReq{VideoID: "v", Caption: "Title\nText\n#one\u00a0#two ", AIGC: true}
	in3h := time.Now().Add(3 * time.Hour).Truncate(5 * time.Minute)
	accepted := func(p Post) bool {
		return p.Title == "Title" &&
			p.Description == "Text" &&
			slices.Equal(p.Tags, []string{"one", "two"}) &&
			p.Declaration == "AI-generated content"
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[createReq]{
		{Name: "NoVideo", Edit: func(r *createReq) { r.VideoID = "x" }, Want: "Upload"},
		{Name: "StillUploading", Edit: func(r *createReq) { r.VideoID = "busy" }, Want: "uploading"},
		{Name: "EmptyCaption", Edit: func(r *createReq) { r.Caption = " " }, Want: "description"},
		{Name: "DiscloseWithoutOption", Edit: func(r *createReq) { r.Disclose = []string{} }, Want: "brand"},
		{Name: "ScheduleTooSoon", Edit: func(r *createReq) { r.Schedule = time.Now().Add(5 * time.Minute).Unix() }, Want: "15 minutes"},
		{Name: "ScheduleTooLate", Edit: func(r *createReq) { r.Schedule = in3h.AddDate(0, 0, 11).Unix() }, Want: "10 days"},
		{Name: "ScheduleOffStep", Edit: func(r *createReq) { r.Schedule = in3h.Add(time.Minute).Unix() }, Want: "5-minute"},
	})
}

// The pages speak the menu's language (a cookie), else the account's, and
// ignore a lang query; the login pages stay English.
func TestPagesSpeakTheChosenLanguageWhateverTheQuery(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	s.SetLanguage(Chinese)
	lang := func(path string, cookies ...*http.Cookie) string {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), "GET", s.URL()+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(path, "/login") { // which a session leaves
			cookies = append(cookies, s.sessionCookies()...)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := fakesite.Client(t).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		m := regexp.MustCompile(`<html lang="([^"]+)"`).FindSubmatch(b)
		if resp.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("GET %s: %d %.200s", path, resp.StatusCode, b)
		}
		return string(m[1])
	}
	for _, c := range []struct {
		path, cookie, want string
	}{
		{"/tiktokstudio/upload?lang=en", "", Chinese},
		{"/?lang=en", "", Chinese},
		{"/tiktokstudio/upload?lang=en", German, German},
		{"/tiktokstudio/content?lang=zh-Hans", English, English},
		{"/tiktokstudio/upload", "klingon", Chinese},
		{"/login?lang=zh-Hans", German, English},
	} {
		var cookies []*http.Cookie
		if c.cookie != "" {
			cookies = append(cookies, &http.Cookie{Name: LangCookie, Value: c.cookie})
		}
		if got := lang(c.path, cookies...); got != c.want {
			t.Errorf("GET %s with %s=%q: lang %q, want %q", c.path, LangCookie, c.cookie, got, c.want)
		}
	}
}

// sessionCookies are a fresh logged-in session's cookies, for a plain
// HTTP client.
func (s *Site) sessionCookies() []*http.Cookie {
	var out []*http.Cookie
	for _, c := range s.SessionCookies() {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}
