package tiktoktest

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutStudioRedirectsToLogin(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	for _, p := range []string{"/tiktokstudio/upload?lang=en", "/tiktokstudio/content"} {
		resp := fakesite.Call(t, c, "GET", s.URL()+p, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/login?") {
			t.Errorf("GET %s = %d to %q, want 302 to /login", p, resp.StatusCode, loc)
		}
	}
	if resp := fakesite.Call(t, c, "POST", s.URL()+apiPost, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := NewServer(t, Options{})
	c := fakesite.Client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct{ Token, Qrcode string }
	}
	fakesite.Call(t, c, "POST", s.URL()+apiGetQR, &qr)
	if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") || qr.Data.Token == "" {
		t.Fatalf("get_qrcode = %+v", qr)
	}
	check := func() string {
		var st struct{ Data struct{ Status string } }
		fakesite.Call(t, c, "GET", s.URL()+apiCheckQR+"?token="+qr.Data.Token, &st)
		return st.Data.Status
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
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/tiktokstudio/upload", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload page after login: status %d, want 200", resp.StatusCode)
	}
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/login", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("login page when logged in: status %d, want a redirect", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/tiktokstudio/upload", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("upload page after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.StoreVideo("v", fakesite.File{SHA256: "abc", Size: 3, ReadyAt: time.Now().Add(-time.Second)})
	s.StoreVideo("busy", fakesite.File{ReadyAt: time.Now().Add(time.Hour)})
	ok := createReq{VideoID: "v", Caption: "Title\nText\n#one\u00a0#two ", AIGC: true}
	in3h := time.Now().Add(3 * time.Hour).Truncate(5 * time.Minute)
	cases := []struct {
		name string
		edit func(*createReq)
		want string // substring of the refusal; "" accepts
	}{
		{"Valid", func(*createReq) {}, ""},
		{"NoVideo", func(r *createReq) { r.VideoID = "x" }, "Upload"},
		{"StillUploading", func(r *createReq) { r.VideoID = "busy" }, "uploading"},
		{"EmptyCaption", func(r *createReq) { r.Caption = " " }, "description"},
		{"DiscloseWithoutOption", func(r *createReq) { r.Disclose = []string{} }, "brand"},
		{"ScheduleTooSoon", func(r *createReq) { r.Schedule = time.Now().Add(5 * time.Minute).Unix() }, "15 minutes"},
		{"ScheduleTooLate", func(r *createReq) { r.Schedule = in3h.AddDate(0, 0, 11).Unix() }, "10 days"},
		{"ScheduleOffStep", func(r *createReq) { r.Schedule = in3h.Add(time.Minute).Unix() }, "5-minute"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := ok
			tc.edit(&req)
			p, msg := s.accept(req)
			if tc.want == "" {
				if msg != "" || p.Title != "Title" || p.Description != "Text" || !slices.Equal(p.Tags, []string{"one", "two"}) || p.Declaration != "AI-generated content" {
					t.Errorf("accept = %+v, %q; want accepted with title, text, tags and the AI disclosure", p, msg)
				}
				return
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("refusal = %q, want it to mention %q", msg, tc.want)
			}
		})
	}
	s.RejectNext("no")
	if _, msg := s.accept(ok); msg != "no" {
		t.Errorf("after RejectNext: %q, want no", msg)
	}
	if _, msg := s.accept(ok); msg != "" {
		t.Errorf("RejectNext applies once; second post refused: %q", msg)
	}
}
