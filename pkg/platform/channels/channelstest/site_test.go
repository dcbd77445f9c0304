package channelstest

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
	for _, p := range []string{"/", "/platform", "/platform/post/create", "/micro/content/post/create", "/platform/post/list"} {
		resp := fakesite.Call(t, c, "GET", s.URL()+p, nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login.html" {
			t.Errorf("GET %s = %d to %q, want 302 to /login.html", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp := fakesite.Call(t, c, "POST", s.URL()+apiPostCreate, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
	s.RequireLogin(false)
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/micro/content/post/create", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("with RequireLogin(false): status %d, want 200", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var code struct{ Data struct{ Token string } }
	fakesite.Call(t, c, "POST", s.URL()+apiLoginCode, &code)
	if code.Data.Token == "" {
		t.Fatalf("auth_login_code = %+v", code)
	}
	img := fakesite.Call(t, c, "GET", s.URL()+apiLoginQRCode+"?token="+code.Data.Token, nil)
	if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR image: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}
	status := func() int {
		var st struct{ Data struct{ Status int } }
		fakesite.Call(t, c, "GET", s.URL()+apiLoginStatus+"?token="+code.Data.Token, &st)
		return st.Data.Status
	}
	if got := status(); got != loginStatus[fakesite.QRNew] {
		t.Errorf("status = %d, want new", got)
	}
	fakesite.Call(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := status(); got != loginStatus[fakesite.QRScanned] {
		t.Errorf("status = %d, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := status(); got != loginStatus[fakesite.QRConfirmed] {
		t.Errorf("status = %d, want confirmed", got)
	}
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/platform", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/platform", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("home after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestExpireQR(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	var code struct{ Data struct{ Token string } }
	fakesite.Call(t, c, "POST", s.URL()+apiLoginCode, &code)
	s.ExpireQR()
	if state, _ := s.QRStatus(code.Data.Token); state != fakesite.QRExpired {
		t.Errorf("state = %q, want expired", state)
	}
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Errorf("Scan of an expired code = %v, want ErrNoLiveQR", err)
	}
}

func TestSplitDescription(t *testing.T) {
	title, desc, tags := splitDescription("春天的第一场雨\n#春天\u00a0#vlog \n窗外的雨声")
	if title != "春天的第一场雨" || desc != "窗外的雨声" || !slices.Equal(tags, []string{"春天", "vlog"}) {
		t.Errorf("split = %q %q %v", title, desc, tags)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	s.StoreVideo("busy", fakesite.File{ReadyAt: time.Now().Add(time.Hour)})
	ok := createReq{MediaID: "v", Description: "标题\n#一 #二\n描述", ShortTitle: "七个字的短标题", Label: "含AI生成内容"}
	cases := []struct {
		name string
		edit func(*createReq)
		want string // substring of the refusal; "" accepts
	}{
		{"Valid", func(*createReq) {}, ""},
		{"NoVideo", func(r *createReq) { r.MediaID = "x" }, "上传视频"},
		{"StillUploading", func(r *createReq) { r.MediaID = "busy" }, "上传中"},
		{"EmptyDescription", func(r *createReq) { r.Description = " " }, "描述"},
		{"ShortTitleTooShort", func(r *createReq) { r.ShortTitle = "五个字标题" }, "短标题"},
		{"ShortTitleTooLong", func(r *createReq) { r.ShortTitle = strings.Repeat("字", 17) }, "短标题"},
		{"ScheduleTooSoon", func(r *createReq) { r.Schedule = time.Now().Add(time.Hour).Unix() }, "2小时"},
		{"ScheduledDraft", func(r *createReq) { r.Draft, r.Schedule = true, time.Now().Add(3*time.Hour).Unix() }, "草稿"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			tc.edit(&req)
			p, msg := s.accept(req)
			if tc.want == "" {
				if msg != "" || p.Title != "标题" || p.Description != "描述" || !slices.Equal(p.Tags, []string{"一", "二"}) {
					t.Errorf("accept = %+v, %q; want accepted with title, description and tags", p, msg)
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
