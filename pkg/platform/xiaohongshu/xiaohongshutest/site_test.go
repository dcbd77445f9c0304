package xiaohongshutest

import (
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return loc == pathLogin }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, pathHome, pathPublish+"?from=homepage&target=video", pathSuccess, pathManage)
}

func TestQRLoginSetsSessionCookie(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct {
			Data struct {
				QRID string `json:"qr_id"`
				URL  string `json:"url"`
			}
		}
		fakesite.Call(t, c, "POST", s.URL()+"/api/cas/customer/web/qr-code", &qr)
		if !strings.HasPrefix(qr.Data.URL, "data:image/png;base64,") {
			t.Errorf("qr-code = %+v, want a PNG data URL", qr)
		}
		return qr.Data.QRID
	}, func(token string) string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+"/api/cas/customer/web/qr-code?qr_id="+token, &st)
		return st.Data.Status
	})
	fakesite.CheckSession(t, s.Kernel, c, pathHome)
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := noteReq{FileID: "v", Title: "标题", Desc: " 正文\u00a0 ", Topics: []string{"一"}, Declaration: "笔记含AI合成内容"}
	accepted := func(p Post) bool {
		return p.Title == "标题" &&
			p.Description == "正文" &&
			len(p.Tags) == 1
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[noteReq]{
		{Name: "NoVideo", Edit: func(r *noteReq) { r.FileID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *noteReq) { r.FileID = "busy" }, Want: "上传中"},
		{Name: "EmptyTitle", Edit: func(r *noteReq) { r.Title = " " }, Want: "标题"},
		{Name: "TitleTooLong", Edit: func(r *noteReq) { r.Title = strings.Repeat("字", 21) }, Want: "20"},
		{Name: "ElevenTopics", Edit: func(r *noteReq) { r.Topics = make([]string, 11) }, Want: "10个话题"},
		{Name: "DescTooLong", Edit: func(r *noteReq) { r.Desc = strings.Repeat("字", 1001) }, Want: "1000"},
		{Name: "UnknownCover", Edit: func(r *noteReq) { r.CoverID = "nope" }, Want: "封面"},
		{Name: "ScheduleTooSoon", Edit: func(r *noteReq) {
			r.PostTime = time.Now().In(fakesite.Beijing).Add(30 * time.Minute).Format("2006-01-02 15:04")
		}, Want: "1小时"},
	})
}
