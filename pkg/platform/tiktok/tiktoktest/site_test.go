package tiktoktest

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strings"
	"testing"
	"time"
)

func client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func getJSON(t *testing.T, c *http.Client, method, url string, out any) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, url, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, url, err)
		}
	}
	return resp
}

func TestLoggedOutStudioRedirectsToLogin(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	for _, p := range []string{"/tiktokstudio/upload?lang=en", "/tiktokstudio/content"} {
		resp := getJSON(t, c, "GET", s.URL()+p, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/login?") {
			t.Errorf("GET %s = %d to %q, want 302 to /login", p, resp.StatusCode, loc)
		}
	}
	if resp := getJSON(t, c, "POST", s.URL()+apiPost, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct{ Token, Qrcode string }
	}
	getJSON(t, c, "POST", s.URL()+apiGetQR, &qr)
	if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") || qr.Data.Token == "" {
		t.Fatalf("get_qrcode = %+v", qr)
	}
	check := func() string {
		var st struct{ Data struct{ Status string } }
		getJSON(t, c, "GET", s.URL()+apiCheckQR+"?token="+qr.Data.Token, &st)
		return st.Data.Status
	}
	getJSON(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := check(); got != qrScanned {
		t.Errorf("status = %q, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := check(); got != qrConfirmed {
		t.Errorf("status = %q, want confirmed", got)
	}
	if resp := getJSON(t, c, "GET", s.URL()+"/tiktokstudio/upload", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("upload page after login: status %d, want 200", resp.StatusCode)
	}
	if resp := getJSON(t, c, "GET", s.URL()+"/login", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("login page when logged in: status %d, want a redirect", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := getJSON(t, c, "GET", s.URL()+"/tiktokstudio/upload", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("upload page after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	s.uploads["v"] = &upload{sha: "abc", size: 3, readyAt: time.Now().Add(-time.Second)}
	s.uploads["busy"] = &upload{readyAt: time.Now().Add(time.Hour)}
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

func TestKnobsEndpoint(t *testing.T) {
	s := NewServer(t, Options{})
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL()+"/__fake__/knobs",
		strings.NewReader(`{"fail_next_upload": true, "reject_next": "r", "delays": {"manage": "2s"}, "break_layout": true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("knobs: status %d", resp.StatusCode)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failUploads != 1 || s.rejectNext == nil || *s.rejectNext != "r" || s.delays[DelayManage] != 2*time.Second || !s.brokenLayout {
		t.Errorf("knobs not applied: fail=%d reject=%v delays=%v broken=%v", s.failUploads, s.rejectNext, s.delays, s.brokenLayout)
	}
}
