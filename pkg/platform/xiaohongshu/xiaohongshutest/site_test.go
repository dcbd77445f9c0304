package xiaohongshutest

import (
	"bytes"
	"io"
	"net/http"
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
	s.QRAsDataURL(true)
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

// The login page's QR code is an image URL by default (SAU X:138-142
// screenshots such a code), serving the code's PNG.
func TestQRCodeIsAnImageURL(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	var qr struct {
		Data struct {
			QRID string `json:"qr_id"`
			URL  string `json:"url"`
		}
	}
	fakesite.Call(t, c, "POST", s.URL()+"/api/cas/customer/web/qr-code", &qr)
	if qr.Data.URL != "/qr/"+qr.Data.QRID+".png" {
		t.Fatalf("qr-code = %+v, want the image URL /qr/<qr_id>.png", qr)
	}
	resp, err := c.Get(s.URL() + qr.Data.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(body, s.QRImage(qr.Data.QRID)) {
		t.Errorf("GET %s = %d %s, %d bytes; want the code's PNG", qr.Data.URL, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/qr/nope.png", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d, want 404", resp.StatusCode)
	}
}

// A finished upload shows each of the signs in turn, or the one the knob
// fixes; Reset restores the turn.
func TestUploadDoneSignal(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	next := func() string {
		var v struct{ Signal string }
		fakesite.Call(t, c, "GET", s.URL()+"/__fake__/xhs/upload-done", &v)
		return v.Signal
	}
	seen := map[string]bool{}
	for range UploadDoneSignals {
		seen[next()] = true
	}
	for _, sig := range UploadDoneSignals {
		if !seen[sig] {
			t.Errorf("%q not shown in a turn of %d uploads (%v)", sig, len(UploadDoneSignals), seen)
		}
	}
	s.UploadDoneSignal("编辑封面")
	if a, b := next(), next(); a != "编辑封面" || b != "编辑封面" {
		t.Errorf("with the knob: %q, %q; want 编辑封面", a, b)
	}
	s.Reset()
	if got := next(); got == "编辑封面" && next() == "编辑封面" {
		t.Errorf("after Reset the sign stays %q", got)
	}
}
