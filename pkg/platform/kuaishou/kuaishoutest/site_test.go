package kuaishoutest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToPassport(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toPassport := func(loc string) bool { return strings.HasPrefix(loc, pathLogin+"?sid="+sid+"&callback=") }
	fakesite.CheckLoggedOut(t, s.Kernel, toPassport, pathProfile, pathPublish, pathManage)
}

func TestQRLoginThroughSTSSetsSessionCookies(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	var authToken string
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct {
			Data struct{ QrLoginToken, ImageData string }
		}
		fakesite.Call(t, c, "POST", s.URL()+"/rest/c/infra/ks/qr/start", &qr)
		if !strings.HasPrefix(qr.Data.ImageData, "data:image/png;base64,") {
			t.Errorf("qr/start = %+v, want a PNG data URL", qr)
		}
		return qr.Data.QrLoginToken
	}, func(token string) string {
		var st struct {
			Data struct{ Status, AuthToken string }
		}
		fakesite.Call(t, c, "GET", s.URL()+"/rest/c/infra/ks/qr/scanResult?qrLoginToken="+token, &st)
		authToken = st.Data.AuthToken
		return st.Data.Status
	})
	if authToken == "" {
		t.Fatal("a confirmed login got no auth token")
	}
	// An open redirect is refused: only the path of followUrl is followed.
	sts := s.URL() + pathSTS + "?followUrl=" + url.QueryEscape("https://evil.example"+pathPublish) + "&authToken=" + authToken
	resp := fakesite.Call(t, c, "GET", sts, nil)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != pathPublish {
		t.Fatalf("sts = %d to %q, want 302 to %s", resp.StatusCode, resp.Header.Get("Location"), pathPublish)
	}
	u, _ := url.Parse(s.URL())
	var names []string
	for _, ck := range c.Jar.Cookies(u) {
		names = append(names, ck.Name)
	}
	if !slices.Contains(names, SessionCookie) || !slices.Contains(names, UserCookie) {
		t.Errorf("cookies after sts = %v, want %s and %s", names, SessionCookie, UserCookie)
	}
	// The token works once.
	if resp := fakesite.Call(t, fakesite.Client(t), "GET", sts, nil); !strings.HasPrefix(resp.Header.Get("Location"), pathLogin) {
		t.Errorf("reused auth token redirected to %q, want the login", resp.Header.Get("Location"))
	}
	fakesite.CheckSession(t, s.Kernel, c, pathPublish)
}

func TestSplitCaption(t *testing.T) {
	text := splitCaption("标题  一行\n描述\u00a0第二行\n#一 #二\u00a0#三 ")
	if text.Title != "标题 一行" || text.Description != "描述 第二行" || !slices.Equal(text.Tags, []string{"一", "二", "三"}) {
		t.Errorf("splitCaption = %+v", text)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := submitReq{FileID: "v", Caption: "标题\n描述\n#一 #二 "}
	accepted := func(p Post) bool {
		return p.Title == "标题" &&
			p.Description == "描述" &&
			slices.Equal(p.Tags, []string{"一", "二"})
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[submitReq]{
		{Name: "NoVideo", Edit: func(r *submitReq) { r.FileID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *submitReq) { r.FileID = "busy" }, Want: "上传中"},
		{Name: "EmptyCaption", Edit: func(r *submitReq) { r.Caption = " " }, Want: "描述"},
		{Name: "FourTags", Edit: func(r *submitReq) { r.Caption = "标题 #一 #二 #三 #四" }, Want: "3个话题"},
		{Name: "UnknownCover", Edit: func(r *submitReq) { r.CoverKey = "nope" }, Want: "封面"},
		{Name: "ScheduleNotParsed", Edit: func(r *submitReq) { r.Timing, r.Schedule = "schedule", "2030-01-01 10:00" }, Want: "定时发布时间"},
		{Name: "ScheduleTooSoon", Edit: func(r *submitReq) {
			r.Timing, r.Schedule = "schedule", time.Now().In(fakesite.Beijing).Add(30*time.Minute).Format("2006-01-02 15:04:05")
		}, Want: "1小时"},
	})
}

// TestAcceptTopicsApart: the form sends the topics it formed apart from the
// caption, whose #words are then text; the collection is recorded.
func TestAcceptTopicsApart(t *testing.T) {
	s := New(fakesite.Options{})
	ok := submitReq{FileID: "v", Caption: "标题\n描述 #不是话题", Topics: []string{"一", "二"}, Collection: "旅行日记"}
	accepted := func(p Post) bool {
		return p.Title == "标题" && p.Description == "描述 #不是话题" &&
			slices.Equal(p.Tags, []string{"一", "二"}) && p.Collection == "旅行日记"
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[submitReq]{
		{Name: "FourTopics", Edit: func(r *submitReq) { r.Topics = []string{"一", "二", "三", "四"} }, Want: "3个话题"},
		{Name: "EmptyCaption", Edit: func(r *submitReq) { r.Caption, r.Topics = " ", []string{} }, Want: "描述"},
	})
}
