package douyintest

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
	for _, p := range []string{"/creator-micro/home", "/creator-micro/content/upload", "/creator-micro/content/manage"} {
		resp := getJSON(t, c, "GET", s.URL()+p, nil)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/" {
			t.Errorf("GET %s = %d to %q, want 302 to /", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	s.RequireLogin(false)
	if resp := getJSON(t, c, "GET", s.URL()+"/creator-micro/content/upload", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("with RequireLogin(false): status %d, want 200", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookie(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct{ Token, Qrcode string }
	}
	getJSON(t, c, "POST", s.URL()+"/passport/web/get_qrcode/", &qr)
	if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") || qr.Data.Token == "" {
		t.Fatalf("get_qrcode = %+v", qr)
	}
	check := func() string {
		var st struct{ Data struct{ Status string } }
		getJSON(t, c, "GET", s.URL()+"/passport/web/check_qrconnect/?token="+qr.Data.Token, &st)
		return st.Data.Status
	}
	if got := check(); got != qrNew {
		t.Errorf("status = %q, want new", got)
	}
	// The phone scans over HTTP, as in the demo.
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
	if resp := getJSON(t, c, "GET", s.URL()+"/creator-micro/home", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("home after login: status %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := getJSON(t, c, "GET", s.URL()+"/creator-micro/home", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("home after ExpireSessions: status %d, want 302", resp.StatusCode)
	}
}

func TestExpireQR(t *testing.T) {
	s := NewServer(t, Options{})
	c := client(t)
	var qr struct{ Data struct{ Token string } }
	getJSON(t, c, "POST", s.URL()+"/passport/web/get_qrcode/", &qr)
	s.ExpireQR()
	if state, _ := s.qrStatus(qr.Data.Token); state != qrExpired {
		t.Errorf("state = %q, want expired", state)
	}
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Errorf("Scan of an expired code = %v, want ErrNoLiveQR", err)
	}
}

func TestAcceptValidates(t *testing.T) {
	s := New(Options{})
	ready := &upload{sha: "abc", size: 3, readyAt: time.Now().Add(-time.Second)}
	s.uploads["v"] = ready
	s.uploads["busy"] = &upload{readyAt: time.Now().Add(time.Hour)}
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

func TestKnobsEndpoint(t *testing.T) {
	s := NewServer(t, Options{})
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL()+"/__fake__/knobs",
		strings.NewReader(`{"fail_next_upload": true, "reject_next": "r", "delays": {"upload": "2s"}, "require_login": false}`))
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
	if s.failUploads != 1 || s.rejectNext == nil || *s.rejectNext != "r" || s.delays[DelayUpload] != 2*time.Second || s.requireLogin {
		t.Errorf("knobs not applied: fail=%d reject=%v delays=%v requireLogin=%v", s.failUploads, s.rejectNext, s.delays, s.requireLogin)
	}
}
