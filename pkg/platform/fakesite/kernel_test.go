package fakesite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fanout/pkg/web"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

type testPost struct {
	Title string `json:"title"`
	Cover string `json:"cover,omitempty"`
}

type testResp struct {
	Code int    `json:"code"`
	Msg  string `json:"msg,omitempty"`
	Data any    `json:"data,omitempty"`
}

type testSite struct {
	*Kernel[testPost]
	resets int
}

func newTestSite(t *testing.T, opt Options) *testSite {
	s := &testSite{}
	s.Kernel = New[testPost](opt, Config{
		Web: fstest.MapFS{
			"web/app.html":      {Data: []byte("<p>app</p>")},
			"web/redesign.html": {Data: []byte("<p>redesign</p>")},
			"web/posts.html":    {Data: []byte("{{range .Posts}}[{{.Title}}]{{end}}")},
			"web/style.css":     {Data: []byte("p{}")},
		},
		SessionCookie: "sid",
		LoginURL:      func(*http.Request) string { return "/login" },
		Unauthorized:  func(*http.Request) any { return testResp{Code: 8, Msg: "login"} },
		API: API{
			OK:         func(data any) any { return testResp{Data: data} },
			Fail:       func(code int, msg string) any { return testResp{Code: code, Msg: msg} },
			BadRequest: 1, NotFound: 4, ServerError: 500, Refused: 2,
			VideoID: "video_id", CoverID: "cover_id",
		},
		Texts: Texts{
			Malformed: "bad", UploadFailed: "upload failed", UnknownVideo: "no such video",
			NoVideo: "no video", StillUploading: "still uploading", NoCover: "no cover", Rejected: "rejected",
		},
		OnReset: func() { s.resets++ },
	})
	s.HandleFunc("GET /app", s.Authed(s.Layout("app.html")))
	s.HandleFunc("GET /posts", s.Authed(s.Landing(s.PostsPage("posts.html"))))
	s.HandleFunc("POST /api/qr", s.HandleNewQR("token", "qrcode"))
	s.HandleFunc("GET /api/qr", s.HandleQRCheck("token", "/home"))
	s.HandleUploads("/api/upload", "/api/upload/status", "/api/cover")
	s.HandleFunc("POST /api/post", s.API(Submit(s.Kernel, func(req struct{ VideoID, CoverID, Title string }) (testPost, string) {
		_, msg := s.Video(req.VideoID)
		if msg != "" {
			return testPost{}, msg
		}
		p := testPost{Title: req.Title}
		if p.Cover, msg = s.CoverSHA256(req.CoverID); msg != "" {
			return testPost{}, msg
		}
		return p, s.Record(p)
	}, func(p testPost) any { return p })))
	return Serve(t, s)
}

func upload(t *testing.T, c *http.Client, url, content string, out any) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "v.mp4")
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", url, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp
}

func post(t *testing.T, c *http.Client, url, body string, out any) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", url, strings.NewReader(body))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp
}

func TestQRLoginAndSessions(t *testing.T) {
	s := newTestSite(t, Options{})
	c := Client(t)
	if resp := Call(t, c, "GET", s.URL()+"/app", nil); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logged out /app = %d to %q, want 302 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Fatalf("Scan before any QR = %v, want ErrNoLiveQR", err)
	}
	var qr struct {
		Data struct{ Token, Qrcode string }
	}
	Call(t, c, "POST", s.URL()+"/api/qr", &qr)
	if !strings.HasPrefix(qr.Data.Qrcode, "data:image/png;base64,") || qr.Data.Token == "" || s.QRImage(qr.Data.Token) == nil {
		t.Fatalf("new QR = %+v", qr)
	}
	type status struct {
		Data struct {
			Status      string
			RedirectURL string `json:"redirect_url"`
		}
	}
	check := func() status {
		var st status
		Call(t, c, "GET", s.URL()+"/api/qr?token="+qr.Data.Token, &st)
		return st
	}
	if got := check().Data.Status; got != QRNew {
		t.Errorf("status = %q, want new", got)
	}
	Call(t, c, "POST", s.URL()+"/__fake__/scan?confirm=0", nil)
	if got := check().Data.Status; got != QRScanned {
		t.Errorf("status = %q, want scanned", got)
	}
	if err := s.Scan(true); err != nil {
		t.Fatalf("Scan(true): %v", err)
	}
	if got := check(); got.Data.Status != QRConfirmed || got.Data.RedirectURL != "/home" {
		t.Errorf("status = %+v, want confirmed with redirect /home", got)
	}
	if resp := Call(t, c, "GET", s.URL()+"/app", nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("/app after login: %d, want 200", resp.StatusCode)
	}
	s.ExpireSessions()
	if resp := Call(t, c, "GET", s.URL()+"/app", nil); resp.StatusCode != http.StatusFound {
		t.Errorf("/app after ExpireSessions: %d, want 302", resp.StatusCode)
	}
	var unauth testResp
	if resp := post(t, c, s.URL()+"/api/post", "{}", &unauth); resp.StatusCode != http.StatusUnauthorized || unauth.Code != 8 {
		t.Errorf("API without session = %d %+v, want 401 with the platform's body", resp.StatusCode, unauth)
	}
	// A fresh session from the knobs endpoint works.
	var cookies []struct{ Name, Value, Domain string }
	Call(t, c, "POST", s.URL()+"/__fake__/session", &cookies)
	if len(cookies) != 1 || cookies[0].Name != "sid" || cookies[0].Domain != "127.0.0.1" {
		t.Fatalf("session cookies = %+v", cookies)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL()+"/app", nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: cookies[0].Value})
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("/app with a fresh session: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func TestExpireQR(t *testing.T) {
	s := newTestSite(t, Options{QRLifetime: time.Hour})
	var qr struct{ Data struct{ Token string } }
	Call(t, Client(t), "POST", s.URL()+"/api/qr", &qr)
	s.ExpireQR()
	if state, _ := s.QRStatus(qr.Data.Token); state != QRExpired {
		t.Errorf("state = %q, want expired", state)
	}
	if err := s.Scan(true); !errors.Is(err, ErrNoLiveQR) {
		t.Errorf("Scan of an expired code = %v, want ErrNoLiveQR", err)
	}
	if state, _ := s.QRStatus("unknown"); state != QRExpired {
		t.Errorf("unknown token: %q, want expired", state)
	}
}

func TestUploadAndPublish(t *testing.T) {
	s := newTestSite(t, Options{UploadDuration: 50 * time.Millisecond})
	s.RequireLogin(false)
	c := Client(t)
	s.FailNextUpload()
	var r testResp
	if resp := upload(t, c, s.URL()+"/api/upload", "video", &r); resp.StatusCode != http.StatusInternalServerError || r.Msg != "upload failed" {
		t.Fatalf("failing upload = %d %+v", resp.StatusCode, r)
	}
	var up struct {
		Data struct {
			VideoID string `json:"video_id"`
			Size    int64
		}
	}
	upload(t, c, s.URL()+"/api/upload", "video", &up)
	if up.Data.VideoID == "" || up.Data.Size != 5 {
		t.Fatalf("upload = %+v", up)
	}
	var refused testResp
	post(t, c, s.URL()+"/api/post", `{"VideoID":"`+up.Data.VideoID+`","Title":"t"}`, &refused)
	if refused.Code != 2 || refused.Msg != "still uploading" {
		t.Errorf("publish while processing = %+v", refused)
	}
	for {
		var st struct {
			Data struct {
				Progress float64
				Done     bool
			}
		}
		Call(t, c, "GET", s.URL()+"/api/upload/status?video_id="+up.Data.VideoID, &st)
		if st.Data.Done {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	var cover struct {
		Data struct {
			CoverID string `json:"cover_id"`
		}
	}
	upload(t, c, s.URL()+"/api/cover", "png", &cover)
	s.RejectNext("")
	post(t, c, s.URL()+"/api/post", `{"VideoID":"`+up.Data.VideoID+`","Title":"t"}`, &refused)
	if refused.Msg != "rejected" {
		t.Errorf("RejectNext(\"\") = %+v, want the platform's refusal", refused)
	}
	post(t, c, s.URL()+"/api/post", `{"VideoID":"`+up.Data.VideoID+`","CoverID":"nope","Title":"t"}`, &refused)
	if refused.Msg != "no cover" {
		t.Errorf("unknown cover = %+v", refused)
	}
	var ok testResp
	post(t, c, s.URL()+"/api/post", `{"VideoID":"`+up.Data.VideoID+`","CoverID":"`+cover.Data.CoverID+`","Title":"first"}`, &ok)
	post(t, c, s.URL()+"/api/post", `{"VideoID":"`+up.Data.VideoID+`","Title":"second"}`, &ok)
	if ok.Code != 0 {
		t.Fatalf("publish = %+v", ok)
	}
	got := s.Published()
	if len(got) != 2 || got[0].Title != "first" || got[0].Cover == "" || got[1].Title != "second" {
		t.Fatalf("Published = %+v", got)
	}
	if resp := post(t, c, s.URL()+"/api/post", `not json`, &refused); resp.StatusCode != http.StatusBadRequest || refused.Msg != "bad" {
		t.Errorf("malformed publish = %d %+v", resp.StatusCode, refused)
	}
	var missing testResp
	Call(t, c, "GET", s.URL()+"/api/upload/status?video_id=x", &missing)
	if missing.Code != 4 || missing.Msg != "no such video" {
		t.Errorf("status of unknown upload = %+v", missing)
	}
}

func TestLandingDelayAndPostsPage(t *testing.T) {
	s := newTestSite(t, Options{})
	s.RequireLogin(false)
	s.SetDelay(DelayManage, 300*time.Millisecond)
	s.Record(testPost{Title: "a"})
	s.Record(testPost{Title: "b"})
	get := func() (string, time.Duration) {
		start := time.Now()
		resp, err := http.Get(s.URL() + "/posts")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return b.String(), time.Since(start)
	}
	body, took := get()
	if body != "[b][a]" || took < 300*time.Millisecond {
		t.Errorf("first landing = %q in %v, want newest first after the delay", body, took)
	}
	if _, took := get(); took >= 300*time.Millisecond {
		t.Errorf("second load took %v: the delay applies once per publish", took)
	}
}

func TestLayoutAndStatic(t *testing.T) {
	s := newTestSite(t, Options{})
	s.RequireLogin(false)
	read := func(path string) string {
		resp, err := http.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, resp.Header.Get("Cache-Control"))
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return b.String()
	}
	if got := read("/app"); got != "<p>app</p>" {
		t.Errorf("/app = %q", got)
	}
	s.BreakLayout(true)
	if got := read("/app"); got != "<p>redesign</p>" {
		t.Errorf("/app with BreakLayout = %q", got)
	}
	s.BreakLayout(false)
	if got := read("/app"); got != "<p>app</p>" {
		t.Errorf("/app after BreakLayout(false) = %q", got)
	}
	if got := read("/static/style.css"); got != "p{}" {
		t.Errorf("/static/style.css = %q", got)
	}
}

func TestKnobsEndpointAndReset(t *testing.T) {
	s := newTestSite(t, Options{})
	c := Client(t)
	if resp := post(t, c, s.URL()+"/__fake__/knobs", `{"delays": {"upload": "soon"}}`, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad duration: %d, want 400", resp.StatusCode)
	}
	post(t, c, s.URL()+"/__fake__/knobs",
		`{"fail_next_upload": true, "reject_next": "r", "delays": {"upload": "2s"}, "require_login": false, "break_layout": true}`, nil)
	s.mu.Lock()
	if s.failUploads != 1 || s.rejectNext == nil || *s.rejectNext != "r" || s.delays[DelayUpload] != 2*time.Second || s.requireLogin || !s.brokenLayout {
		t.Errorf("knobs not applied: fail=%d reject=%v delays=%v requireLogin=%v broken=%v", s.failUploads, s.rejectNext, s.delays, s.requireLogin, s.brokenLayout)
	}
	s.mu.Unlock()
	post(t, c, s.URL()+"/__fake__/knobs", `{"delays": {"upload": "0"}}`, nil)
	s.Record(testPost{Title: "x"})
	var state map[string]any
	Call(t, c, "GET", s.URL()+"/__fake__/state", &state)
	if state["posts"] != 0.0 || state["require_login"] != false {
		t.Errorf("state = %v, want the rejected post not counted and login off", state)
	}
	post(t, c, s.URL()+"/__fake__/reset", "", nil)
	s.mu.Lock()
	if s.failUploads != 0 || !s.requireLogin || s.brokenLayout || s.rejectNext != nil || len(s.delays) != 0 {
		t.Errorf("reset did not restore the knobs")
	}
	s.mu.Unlock()
	if s.resets != 1 {
		t.Errorf("OnReset ran %d times, want 1", s.resets)
	}
	var published []testPost
	Call(t, c, "GET", s.URL()+"/__fake__/published", &published)
	if published == nil || len(published) != 0 {
		t.Errorf("published after reset = %v, want []", published)
	}
}

func TestCaption(t *testing.T) {
	text := Caption("春天的第一场雨\n#春天\u00a0#vlog \n窗外的雨声")
	if text.Title != "春天的第一场雨" || text.Description != "窗外的雨声" || !slices.Equal(text.Tags, []string{"春天", "vlog"}) {
		t.Errorf("Caption = %+v", text)
	}
}

func TestSplitTagsAndFirstLine(t *testing.T) {
	rest, tags := SplitTags("描述 #一 #二\u00a0尾")
	if rest != "描述 尾" || !slices.Equal(tags, []string{"一", "二"}) {
		t.Errorf("SplitTags = %q %v", rest, tags)
	}
	first, rest := FirstLine(" 标题\u00a0#t\n正文 ")
	if first != "标题 #t" || rest != "正文" {
		t.Errorf("FirstLine = %q %q", first, rest)
	}
}

func TestDefaults(t *testing.T) {
	k := New[testPost](Options{}, Config{SessionCookie: "sid", API: API{Fail: func(code int, msg string) any { return testResp{Code: code, Msg: msg} }}})
	if k.cfg.Texts != defaultTexts {
		t.Errorf("texts = %+v, want the Chinese defaults", k.cfg.Texts)
	}
	if a := k.cfg.API; a.BadRequest != 1 || a.NotFound != 4 || a.ServerError != 500 || a.Refused != 2 || a.VideoID != "video_id" || a.CoverID != "cover_id" {
		t.Errorf("API = %+v, want ByteDance's codes and keys", a)
	}
	if got := k.cfg.When(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)); got != "2030-01-02 11:04" {
		t.Errorf("When = %q, want Beijing time to the minute", got)
	}
	k = New[testPost](Options{}, Config{Texts: Texts{NoVideo: "own"}})
	if k.cfg.Texts.NoVideo != "own" || k.cfg.Texts.NoCover != defaultTexts.NoCover {
		t.Errorf("texts = %+v, want own NoVideo and the default NoCover", k.cfg.Texts)
	}
}

func TestLoggedOutAndCookies(t *testing.T) {
	s := newTestSite(t, Options{})
	s.cfg.Cookies = func(session string) []web.Cookie { return []web.Cookie{{Name: "uid", Value: "u" + session}} }
	s.HandleFunc("GET /login", s.LoggedOut("/app", s.Page("app.html")))
	c := Client(t)
	if resp := Call(t, c, "GET", s.URL()+"/login", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("logged out /login = %d, want 200", resp.StatusCode)
	}
	cookies := s.SessionCookies()
	if len(cookies) != 2 || cookies[0].Name != "sid" || !cookies[0].HTTPOnly || cookies[1].Name != "uid" || cookies[1].Value != "u"+cookies[0].Value {
		t.Fatalf("SessionCookies = %+v, want the session cookie, then the platform's", cookies)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL()+"/login", nil)
	req.AddCookie(&http.Cookie{Name: "sid", Value: cookies[0].Value})
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/app" {
		t.Errorf("logged in /login = %d to %q, want 302 to /app", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSchedule(t *testing.T) {
	r := Schedule{Layout: "2006-01-02 15:04", Min: time.Hour, Max: 24 * time.Hour, Unparsed: "unparsed", TooSoon: "soon", TooLate: "late"}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, Beijing)
	for v, want := range map[string]string{"2030-01-01 02:00": "", " 2030-01-01 02:00 ": "", "2030-01-01 00:30": "soon", "2030-01-03 00:00": "late", "02:00": "unparsed"} {
		at, msg := r.Parse(v, now)
		if msg != want || (want == "" && !at.Equal(now.Add(2*time.Hour))) {
			t.Errorf("Parse(%q) = %v, %q; want %q", v, at, msg, want)
		}
	}
	r.Max = 0
	if msg := r.Check(now.AddDate(1, 0, 0), now); msg != "" {
		t.Errorf("Check a year ahead without Max = %q, want no limit", msg)
	}
}
