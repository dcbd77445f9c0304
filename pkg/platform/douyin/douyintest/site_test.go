package douyintest

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	for _, p := range []string{"/creator-micro/home", "/creator-micro/content/upload", "/creator-micro/content/manage"} {
		resp := fakesite.Call(t, c, "GET", s.URL()+p, nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
			t.Errorf("GET %s = %d to %q, want 302 to /", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	s.RequireLogin(false)
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/creator-micro/content/upload", nil); resp.StatusCode != http.StatusOK {
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
		Data struct{ Token, Qrcode string }
	}
	fakesite.Call(t, c, "POST", s.URL()+"/passport/web/get_qrcode/", &qr)
	if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") || qr.Data.Token == "" {
		t.Fatalf("get_qrcode = %+v", qr)
	}
	check := func() string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+"/passport/web/check_qrconnect/?token="+qr.Data.Token, &st)
		return st.Data.Status
	}
	if got := check(); got != fakesite.QRNew {
		t.Errorf("status = %q, want new", got)
	}
	// The phone scans over HTTP, as in the demo.
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
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/creator-micro/home", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/creator-micro/home", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("home after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestExpireQR(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	var qr struct{ Data struct{ Token string } }
	fakesite.Call(t, c, "POST", s.URL()+"/passport/web/get_qrcode/", &qr)
	s.ExpireQR()
	if state, _ := s.QRStatus(qr.Data.Token); state != fakesite.QRExpired {
		t.Errorf("state = %q, want expired", state)
	}
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Errorf("Scan of an expired code = %v, want ErrNoLiveQR", err)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	s.StoreVideo("busy", fakesite.File{ReadyAt: time.Now().Add(time.Hour)})
	ok := createReq{VideoID: "v", Title: "标题", Declaration: "内容由AI生成", Text: "描述 #一 #二\u00a0"}
	cases := []struct {
		name string
		edit func(*createReq)
		want string // substring of the refusal; "" accepts
	}{
		{"Valid", func(*createReq) {}, ""},
		{"NoVideo", func(r *createReq) { r.VideoID = "x" }, "上传视频"},
		{"StillUploading", func(r *createReq) { r.VideoID = "busy" }, "上传中"},
		{"EmptyTitle", func(r *createReq) { r.Title = " " }, "标题"},
		{"TitleTooLong", func(r *createReq) { r.Title = strings.Repeat("字", 31) }, "30"},
		{"NoDeclaration", func(r *createReq) { r.Declaration = "" }, "声明"},
		{"ScheduleTooSoon", func(r *createReq) {
			r.Timing, r.Schedule = "schedule", time.Now().In(beijing).Add(time.Hour).Format("2006-01-02 15:04")
		}, "2小时"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			tc.edit(&req)
			p, msg := s.accept(req)
			if tc.want == "" {
				if msg != "" || p.Description != "描述" || !slices.Equal(p.Tags, []string{"一", "二"}) {
					t.Errorf("accept = %+v, %q; want accepted with description 描述 and tags 一, 二", p, msg)
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
