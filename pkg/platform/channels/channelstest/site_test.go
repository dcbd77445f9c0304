package channelstest

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

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	for _, p := range []string{"/", "/platform", "/platform/post/create", "/micro/content/post/create", "/platform/post/list"} {
		resp := getJSON(t, c, "GET", s.URL()+p, nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login.html" {
			t.Errorf("GET %s = %d to %q, want 302 to /login.html", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp := getJSON(t, c, "POST", s.URL()+apiPostCreate, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
	s.RequireLogin(false)
	if resp := getJSON(t, c, "GET", s.URL()+"/micro/content/post/create", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("with RequireLogin(false): status %d, want 200", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var code struct{ Data struct{ Token string } }
	getJSON(t, c, "POST", s.URL()+apiLoginCode, &code)
	if code.Data.Token == "" {
		t.Fatalf("auth_login_code = %+v", code)
	}
	img := getJSON(t, c, "GET", s.URL()+apiLoginQRCode+"?token="+code.Data.Token, nil)
	if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR image: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
	}
	status := func() int {
		var st struct{ Data struct{ Status int } }
		getJSON(t, c, "GET", s.URL()+apiLoginStatus+"?token="+code.Data.Token, &st)
		return st.Data.Status
	}
	if got := status(); got != loginStatus[qrNew] {
		t.Errorf("status = %d, want new", got)
	}
	getJSON(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := status(); got != loginStatus[qrScanned] {
		t.Errorf("status = %d, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := status(); got != loginStatus[qrConfirmed] {
		t.Errorf("status = %d, want confirmed", got)
	}
	if resp := getJSON(t, c, "GET", s.URL()+"/platform", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := getJSON(t, c, "GET", s.URL()+"/platform", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("home after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestExpireQR(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	var code struct{ Data struct{ Token string } }
	getJSON(t, c, "POST", s.URL()+apiLoginCode, &code)
	s.ExpireQR()
	if state, _ := s.qrStatus(code.Data.Token); state != qrExpired {
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
	s.uploads["v"] = &upload{sha: "abc", size: 3, readyAt: time.Now().Add(-time.Second)}
	s.uploads["busy"] = &upload{readyAt: time.Now().Add(time.Hour)}
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

func TestKnobsEndpoint(t *testing.T) {
	s := NewServer(t, Options{})
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL()+"/__fake__/knobs",
		strings.NewReader(`{"fail_next_upload": true, "reject_next": "r", "delays": {"upload": "2s"}, "require_login": false, "break_layout": true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("knobs: status %d", resp.StatusCode)
	}
	s.mu.Lock()
	if s.failUploads != 1 || s.rejectNext == nil || *s.rejectNext != "r" || s.delays[DelayUpload] != 2*time.Second || s.requireLogin || !s.brokenLayout {
		t.Errorf("knobs not applied: fail=%d reject=%v delays=%v requireLogin=%v broken=%v", s.failUploads, s.rejectNext, s.delays, s.requireLogin, s.brokenLayout)
	}
	s.mu.Unlock()
	reset, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL()+"/__fake__/reset", nil)
	if resp, err := http.DefaultClient.Do(reset); err == nil {
		resp.Body.Close()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failUploads != 0 || !s.requireLogin || s.brokenLayout {
		t.Errorf("reset did not restore the knobs")
	}
}
