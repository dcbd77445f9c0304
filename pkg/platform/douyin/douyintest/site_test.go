package douyintest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return loc == "/" }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, "/creator-micro/home", "/creator-micro/content/upload", "/creator-micro/content/manage")
}

func TestQRLoginSetsSessionCookie(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var qr struct {
			Data struct{ Token, Qrcode string }
		}
		fakesite.Call(t, c, "POST", s.URL()+"/passport/web/get_qrcode/", &qr)
		if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") {
			t.Errorf("get_qrcode = %+v, want a PNG data URL", qr)
		}
		return qr.Data.Token
	}, func(token string) string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+"/passport/web/check_qrconnect/?token="+token, &st)
		return st.Data.Status
	})
	fakesite.CheckSession(t, s.Kernel, c, "/creator-micro/home")
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := createReq{VideoID: "v", Title: "标题", Declaration: "内容由AI生成", Text: "描述 #一 #二\u00a0", RecommendCover: 1}
	accepted := func(p Post) bool {
		return p.Description == "描述" &&
			slices.Equal(p.Tags, []string{"一", "二"})
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[createReq]{
		{Name: "NoVideo", Edit: func(r *createReq) { r.VideoID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *createReq) { r.VideoID = "busy" }, Want: "上传中"},
		{Name: "EmptyTitle", Edit: func(r *createReq) { r.Title = " " }, Want: "标题"},
		{Name: "TitleTooLong", Edit: func(r *createReq) { r.Title = strings.Repeat("字", 31) }, Want: "30"},
		{Name: "NoCover", Edit: func(r *createReq) { r.RecommendCover = 0 }, Want: "请设置封面后再发布"},
		{Name: "UnknownRecommendedCover", Edit: func(r *createReq) { r.RecommendCover = 4 }, Want: "推荐封面"},
		{Name: "CoverWithoutOrientation", Edit: func(r *createReq) { r.CoverID, r.RecommendCover = "c", 0 }, Want: "封面"},
		{Name: "ScheduleTooSoon", Edit: func(r *createReq) {
			r.Timing, r.Schedule = "schedule", time.Now().In(fakesite.Beijing).Add(time.Hour).Format("2006-01-02 15:04")
		}, Want: "2小时"},
	})
}

// TestAcceptWithoutDeclaration: a publish without a declaration goes
// through, as SAU's did while it set none unless asked (e89d3a8 to
// ad49eba), so a default declaration that fails is a warning, not a failed
// publish.
func TestAcceptWithoutDeclaration(t *testing.T) {
	s := New(fakesite.Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	p, msg := s.accept(createReq{VideoID: "v", Title: "标题", RecommendCover: 2, Collection: "旅行日记", SyncToutiao: true})
	if msg != "" || p.Declaration != "" || p.RecommendedCover != 2 || p.Collection != "旅行日记" || !p.SyncToutiao {
		t.Fatalf("accept = %+v, %q; want a post without a declaration, with recommended cover 2, the collection and the sync", p, msg)
	}
}
