package xiaohongshutest

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	for _, p := range []string{pathHome, pathPublish + "?from=homepage&target=video", pathSuccess, pathManage} {
		resp := fakesite.Call(t, c, "GET", s.URL()+p, nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != pathLogin {
			t.Errorf("GET %s = %d to %q, want 302 to /login", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	s.RequireLogin(false)
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathPublish, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("with RequireLogin(false): status %d, want 200", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookie(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct {
			QRID string `json:"qr_id"`
			URL  string `json:"url"`
		}
	}
	fakesite.Call(t, c, "POST", s.URL()+"/api/cas/customer/web/qr-code", &qr)
	if !strings.HasPrefix(qr.Data.URL, "data:image/png;base64,") || qr.Data.QRID == "" {
		t.Fatalf("qr-code = %+v", qr)
	}
	check := func() string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+"/api/cas/customer/web/qr-code?qr_id="+qr.Data.QRID, &st)
		return st.Data.Status
	}
	if got := check(); got != fakesite.QRNew {
		t.Errorf("status = %q, want new", got)
	}
	fakesite.Call(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := check(); got != fakesite.QRScanned {
		t.Errorf("status = %q, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := check(); got != fakesite.QRConfirmed {
		t.Errorf("status = %q, want confirmed", got)
	}
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathHome, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathHome, nil); resp.StatusCode != http.StatusFound {
		t.Errorf("home after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	s.StoreVideo("busy", fakesite.File{ReadyAt: time.Now().Add(time.Hour)})
	ok := noteReq{FileID: "v", Title: "标题", Desc: " 正文\u00a0 ", Topics: []string{"一"}, Declaration: "笔记含AI合成内容"}
	cases := []struct {
		name string
		edit func(*noteReq)
		want string // substring of the refusal; "" accepts
	}{
		{"Valid", func(*noteReq) {}, ""},
		{"NoVideo", func(r *noteReq) { r.FileID = "x" }, "上传视频"},
		{"StillUploading", func(r *noteReq) { r.FileID = "busy" }, "上传中"},
		{"EmptyTitle", func(r *noteReq) { r.Title = " " }, "标题"},
		{"TitleTooLong", func(r *noteReq) { r.Title = strings.Repeat("字", 21) }, "20"},
		{"ElevenTopics", func(r *noteReq) { r.Topics = make([]string, 11) }, "10个话题"},
		{"DescTooLong", func(r *noteReq) { r.Desc = strings.Repeat("字", 1001) }, "1000"},
		{"UnknownCover", func(r *noteReq) { r.CoverID = "nope" }, "封面"},
		{"ScheduleTooSoon", func(r *noteReq) {
			r.PostTime = time.Now().In(beijing).Add(30 * time.Minute).Format("2006-01-02 15:04")
		}, "1小时"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			tc.edit(&req)
			p, msg := s.accept(req)
			if tc.want == "" {
				if msg != "" || p.Title != "标题" || p.Description != "正文" || len(p.Tags) != 1 {
					t.Errorf("accept = %+v, %q; want accepted", p, msg)
				}
				return
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("refusal = %q, want it to mention %q", msg, tc.want)
			}
		})
	}
	s.RejectNext("不行")
	if _, msg := s.accept(ok); msg != "不行" {
		t.Errorf("after RejectNext: %q, want 不行", msg)
	}
	if _, msg := s.accept(ok); msg != "" {
		t.Errorf("RejectNext applies once; second publish refused: %q", msg)
	}
}
