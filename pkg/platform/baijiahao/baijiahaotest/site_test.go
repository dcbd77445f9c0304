package baijiahaotest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	fakesite.CheckLoggedOut(t, s.Kernel, func(loc string) bool { return loc == pathLogin }, pathHome, pathEdit, pathClue, pathContent)
}

// TestQRLoginSetsBDUSS: the code the login box asks for is served as an
// image under /v2/api/qrcode (the passport's path), its poll follows the
// phone, and the confirmed poll sets BDUSS and STOKEN.
func TestQRLoginSetsBDUSS(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct{ Data struct{ Sign string } }
		fakesite.Call(t, c, "POST", s.URL()+pathQRNew, &qr)
		resp := fakesite.Call(t, c, "GET", s.URL()+pathQRImage+"?sign="+qr.Data.Sign, nil)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
			t.Errorf("QR image = %d %s, want a PNG", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return qr.Data.Sign
	}, func(token string) string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+pathQRPoll+"?channel_id="+token, &st)
		return st.Data.Status
	})
	u, _ := url.Parse(s.URL())
	var names []string
	for _, ck := range c.Jar.Cookies(u) {
		names = append(names, ck.Name)
	}
	if !slices.Contains(names, SessionCookie) || !slices.Contains(names, TokenCookie) {
		t.Errorf("cookies after login = %v, want %s and %s", names, SessionCookie, TokenCookie)
	}
	fakesite.CheckSession(t, s.Kernel, c, pathHome)
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathQRImage+"?sign=nope", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown QR image = %d, want 404", resp.StatusCode)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := publishReq{VideoID: "v", Title: "春天的第一场雨，窗外的雨声", AutoCover: true, Declaration: "含AI生成内容", Collection: "旅行日记"}
	accepted := func(p Post) bool {
		return p.Title == ok.Title && p.AutoCover && p.Declaration == "含AI生成内容" && p.Collection == "旅行日记" && p.VideoSHA256 == "abc"
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[publishReq]{
		{Name: "NoVideo", Edit: func(r *publishReq) { r.VideoID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *publishReq) { r.VideoID = "busy" }, Want: "上传完毕"},
		{Name: "ShortTitle", Edit: func(r *publishReq) { r.Title = "八个字的短标题啊" }, Want: "9-30"},
		{Name: "LongTitle", Edit: func(r *publishReq) { r.Title = strings.Repeat("长", 31) }, Want: "9-30"},
		{Name: "NoCover", Edit: func(r *publishReq) { r.AutoCover = false }, Want: "封面"},
		{Name: "UnknownCover", Edit: func(r *publishReq) { r.CoverKey = "nope" }, Want: "封面"},
		{Name: "UnknownDeclaration", Edit: func(r *publishReq) { r.Declaration = "别的" }, Want: "创作声明"},
		{Name: "UnknownCollection", Edit: func(r *publishReq) { r.Collection = "别的" }, Want: "合集"},
	})
}

// TestPageOffersTheListedOptions keeps the publish page's declarations and
// collections the ones accept takes.
func TestPageOffersTheListedOptions(t *testing.T) {
	b, err := pages.ReadFile("web/edit.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range Declarations {
		if !strings.Contains(string(b), `value="`+d+`"`) {
			t.Errorf("edit.html does not offer the declaration %s", d)
		}
	}
	for _, c := range Collections {
		if !strings.Contains(string(b), `title="`+c+`"`) {
			t.Errorf("edit.html does not offer the collection %s", c)
		}
	}
}
