package kuaishoutest

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToPassport(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	for _, p := range []string{pathProfile, pathPublish, pathManage} {
		resp := fakesite.Call(t, c, "GET", s.URL()+p, nil)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, pathLogin+"?sid="+sid+"&callback=") {
			t.Errorf("GET %s = %d to %q, want 302 to the passport login", p, resp.StatusCode, loc)
		}
	}
	s.RequireLogin(false)
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathPublish, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("with RequireLogin(false): status %d, want 200", resp.StatusCode)
	}
}

func TestQRLoginThroughSTSSetsSessionCookies(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct{ QrLoginToken, ImageData string }
	}
	fakesite.Call(t, c, "POST", s.URL()+"/rest/c/infra/ks/qr/start", &qr)
	if !strings.HasPrefix(qr.Data.ImageData, "data:image/png;base64,") || qr.Data.QrLoginToken == "" {
		t.Fatalf("qr/start = %+v", qr)
	}
	type status struct {
		Data struct{ Status, AuthToken string }
	}
	check := func() status {
		var st status
		fakesite.Call(t, c, "GET", s.URL()+"/rest/c/infra/ks/qr/scanResult?qrLoginToken="+qr.Data.QrLoginToken, &st)
		return st
	}
	if got := check().Data.Status; got != fakesite.QRNew {
		t.Errorf("status = %q, want new", got)
	}
	fakesite.Call(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := check().Data.Status; got != fakesite.QRScanned {
		t.Errorf("status = %q, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	st := check()
	if st.Data.Status != fakesite.QRConfirmed || st.Data.AuthToken == "" {
		t.Fatalf("after confirm: %+v, want confirmed with an auth token", st)
	}
	// An open redirect is refused: only the path of followUrl is followed.
	sts := s.URL() + pathSTS + "?followUrl=" + url.QueryEscape("https://evil.example"+pathPublish) + "&authToken=" + st.Data.AuthToken
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
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathPublish, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload page after login: status %d, want 200", resp.StatusCode)
	}
	// The token works once.
	if resp := fakesite.Call(t, fakesite.Client(t), "GET", sts, nil); !strings.HasPrefix(resp.Header.Get("Location"), pathLogin) {
		t.Errorf("reused auth token redirected to %q, want the login", resp.Header.Get("Location"))
	}
	s.ExpireSessions()
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathPublish, nil); resp.StatusCode != http.StatusFound {
		t.Errorf("upload page after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestSplitCaption(t *testing.T) {
	title, desc, tags := splitCaption("标题  一行\n描述\u00a0第二行\n#一 #二\u00a0#三 ")
	if title != "标题 一行" || desc != "描述 第二行" || !slices.Equal(tags, []string{"一", "二", "三"}) {
		t.Errorf("splitCaption = %q, %q, %v", title, desc, tags)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	s.StoreVideo("busy", fakesite.File{ReadyAt: time.Now().Add(time.Hour)})
	ok := submitReq{FileID: "v", Caption: "标题\n描述\n#一 #二 "}
	cases := []struct {
		name string
		edit func(*submitReq)
		want string // substring of the refusal; "" accepts
	}{
		{"Valid", func(*submitReq) {}, ""},
		{"NoVideo", func(r *submitReq) { r.FileID = "x" }, "上传视频"},
		{"StillUploading", func(r *submitReq) { r.FileID = "busy" }, "上传中"},
		{"EmptyCaption", func(r *submitReq) { r.Caption = " " }, "描述"},
		{"FourTags", func(r *submitReq) { r.Caption = "标题 #一 #二 #三 #四" }, "3个话题"},
		{"UnknownCover", func(r *submitReq) { r.CoverKey = "nope" }, "封面"},
		{"ScheduleNotParsed", func(r *submitReq) { r.Timing, r.Schedule = "schedule", "2030-01-01 10:00" }, "定时发布时间"},
		{"ScheduleTooSoon", func(r *submitReq) {
			r.Timing, r.Schedule = "schedule", time.Now().In(beijing).Add(30*time.Minute).Format("2006-01-02 15:04:05")
		}, "1小时"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			tc.edit(&req)
			p, msg := s.accept(req)
			if tc.want == "" {
				if msg != "" || p.Title != "标题" || p.Description != "描述" || !slices.Equal(p.Tags, []string{"一", "二"}) {
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
