package channelstest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return loc == "/login.html" }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, "/platform", "/platform/post/create", "/micro/content/post/create", "/platform/post/list")
	c := fakesite.Client(t)
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/", nil); resp.Header.Get("Location") != "/login.html" {
		t.Errorf("GET / logged out = %d to %q, want a redirect to /login.html", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := fakesite.Call(t, c, "POST", s.URL()+apiPostCreate, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var code struct{ Data struct{ Token string } }
		fakesite.Call(t, c, "POST", s.URL()+apiLoginCode, &code)
		img := fakesite.Call(t, c, "GET", s.URL()+apiLoginQRCode+"?token="+code.Data.Token, nil)
		if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
			t.Errorf("QR image: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
		}
		return code.Data.Token
	}, func(token string) string {
		var st struct{ Data struct{ Status int } }
		fakesite.Call(t, c, "GET", s.URL()+apiLoginStatus+"?token="+token, &st)
		for state, n := range loginStatus {
			if n == st.Data.Status {
				return state
			}
		}
		return fmt.Sprint(st.Data.Status)
	})
	u, _ := url.Parse(s.URL())
	var names []string
	for _, ck := range c.Jar.Cookies(u) {
		names = append(names, ck.Name)
	}
	if !slices.Contains(names, SessionCookie) || !slices.Contains(names, UinCookie) {
		t.Errorf("cookies after the login = %v, want %s and %s", names, SessionCookie, UinCookie)
	}
	fakesite.CheckSession(t, s.Kernel, c, "/platform")
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := createReq{MediaID: "v", Description: "标题\n#一 #二\n描述", ShortTitle: "七个字的短标题", Label: "含AI生成内容"}
	accepted := func(p Post) bool {
		return p.Title == "标题" &&
			p.Description == "描述" &&
			slices.Equal(p.Tags, []string{"一", "二"})
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[createReq]{
		{Name: "NoVideo", Edit: func(r *createReq) { r.MediaID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *createReq) { r.MediaID = "busy" }, Want: "上传中"},
		{Name: "EmptyDescription", Edit: func(r *createReq) { r.Description = " " }, Want: "描述"},
		{Name: "ShortTitleTooShort", Edit: func(r *createReq) { r.ShortTitle = "五个字标题" }, Want: "短标题"},
		{Name: "ShortTitleTooLong", Edit: func(r *createReq) { r.ShortTitle = strings.Repeat("字", 17) }, Want: "短标题"},
		{Name: "ScheduleTooSoon", Edit: func(r *createReq) { r.Schedule = time.Now().Add(time.Hour).Unix() }, Want: "2小时"},
		{Name: "ScheduledDraft", Edit: func(r *createReq) { r.Draft, r.Schedule = true, time.Now().Add(3*time.Hour).Unix() }, Want: "草稿"},
	})
}
