package channelstest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform/fakesite"
)

func TestLoggedOutPagesRedirectToLogin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	toLogin := func(loc string) bool { return loc == "/login.html" }
	fakesite.CheckLoggedOut(t, s.Kernel, toLogin, "/platform", "/platform/post/create", "/micro/content/post/create", "/platform/post/list")
	c := fakesite.Client(t)
	if resp := fakesite.Call(t, c, "GET", s.URL()+"/", nil); resp.Header.Get("Location") != "/login.html" {
		t.Errorf("GET / logged out = %d to %q, want a redirect to /login.html", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := fakesite.Call(t, c, "POST", s.URL()+apiPostCreate, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API without session: %d, want 401", resp.StatusCode)
	}
}

func TestQRLoginSetsSessionCookies(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	var token string
	fakesite.CheckQRLogin(t, s.Kernel, func() string {
		var code struct{ Data struct{ Token string } }
		fakesite.Call(t, c, "POST", s.URL()+apiLoginCode, &code)
		img := fakesite.Call(t, c, "GET", s.URL()+pathQRImage+code.Data.Token, nil)
		if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
			t.Errorf("QR image: %d %s", img.StatusCode, img.Header.Get("Content-Type"))
		}
		token = code.Data.Token
		return token
	}, func(token string) string {
		var st struct{ Data struct{ Status int } }
		fakesite.Call(t, c, "GET", s.URL()+apiLoginStatus+"?token="+token, &st)
		for state, n := range loginStatus {
			if n == st.Data.Status {
				return state
			}
		}
		return fmt.Sprint(st.Data.Status)
	})
	// The login page then goes to the callback with the code the frame passed it.
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathLoginCallback+"?code="+token, nil); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/platform" {
		t.Fatalf("login callback: %d to %q, want a redirect home", resp.StatusCode, resp.Header.Get("Location"))
	}
	u, _ := url.Parse(s.URL())
	var names []string
	for _, ck := range c.Jar.Cookies(u) {
		names = append(names, ck.Name)
	}
	if !slices.Contains(names, SessionCookie) || !slices.Contains(names, UinCookie) {
		t.Errorf("cookies after the login = %v, want %s and %s", names, SessionCookie, UinCookie)
	}
	fakesite.CheckSession(t, s.Kernel, c, "/platform")
}

func TestLoginCallbackRefusesAnUnconfirmedCode(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	var code struct{ Data struct{ Token string } }
	fakesite.Call(t, c, "POST", s.URL()+apiLoginCode, &code)
	if resp := fakesite.Call(t, c, "GET", s.URL()+pathLoginCallback+"?code="+code.Data.Token, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("callback with an unscanned code = %d, want 400", resp.StatusCode)
	}
	if len(c.Jar.Cookies(mustURL(t, s.URL()))) != 0 {
		t.Errorf("cookies after a refused callback: %v", c.Jar.Cookies(mustURL(t, s.URL())))
	}
}

// The login page's qrconnect frame is on another origin: the other
// loopback name by default (cross-site: out of process in Chromium), or
// the one SetQROrigin names; its redirect_uri is the site itself.
func TestQRFrameIsCrossOrigin(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	frame := func() *url.URL {
		var j struct{ Data struct{ URL string } }
		fakesite.Call(t, c, "GET", s.URL()+apiLoginFrame, &j)
		return mustURL(t, j.Data.URL)
	}
	site := mustURL(t, s.URL())
	f := frame()
	if f.Hostname() != "localhost" || f.Port() != site.Port() || f.Path != pathQRConnect {
		t.Errorf("frame %s, want localhost:%s%s", f, site.Port(), pathQRConnect)
	}
	if got := f.Query().Get("redirect_uri"); got != s.URL()+pathLoginCallback {
		t.Errorf("redirect_uri = %q, want the site's callback", got)
	}
	s.SetQROrigin("http://127.0.0.1:1")
	if f := frame(); f.Host != "127.0.0.1:1" {
		t.Errorf("frame %s after SetQROrigin, want on 127.0.0.1:1", f)
	}
}

func TestFormPlaceholderKnob(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	s.RequireLogin(false)
	body := func() string {
		resp, err := c.Get(s.URL() + "/micro/content/post/create")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if b := body(); strings.Count(b, `placeholder="`+DefaultShortTitlePlaceholder+`"`) != 1 {
		t.Errorf("form lacks the default short title placeholder")
	}
	s.SetShortTitlePlaceholder("")
	if b := body(); strings.Contains(b, DefaultShortTitlePlaceholder) || !strings.Contains(b, `id="short-title"`) {
		t.Errorf("placeholder not removed (or the input with it)")
	}
	s.SetShortTitlePlaceholder("概括视频主要内容")
	if b := body(); !strings.Contains(b, `placeholder="概括视频主要内容"`) {
		t.Errorf("placeholder not changed")
	}
	s.Reset()
	s.RequireLogin(false)
	if b := body(); !strings.Contains(b, DefaultShortTitlePlaceholder) {
		t.Errorf("Reset kept the changed placeholder")
	}
}

func TestRealNameStatus(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	s.RequireLogin(false)
	look := func() (st struct {
		Data struct {
			Required, Done bool
			Ticket, QRCode string
		}
	}) {
		fakesite.Call(t, c, "GET", s.URL()+apiRealName, &st)
		return st
	}
	if st := look(); st.Data.Required || st.Data.Done || st.Data.QRCode != "" {
		t.Errorf("status with nothing pending = %+v", st.Data)
	}
	s.RequireVerification("135790")
	if st := look(); st.Data.Required || st.Data.Done || !strings.HasPrefix(st.Data.QRCode, "data:image/png") {
		t.Errorf("status pending = %+v, want a QR code, not required on opening, not done", st.Data)
	}
	s.RealNameOnOpen(true)
	if st := look(); !st.Data.Required {
		t.Errorf("status with RealNameOnOpen = %+v, want required", st.Data)
	}
	fakesite.Call(t, c, "POST", s.URL()+"/__fake__/realname", nil)
	if st := look(); !st.Data.Done || st.Data.Ticket != "135790" {
		t.Errorf("status after the phone = %+v, want done with the ticket", st.Data)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAcceptValidates(t *testing.T) {
	s := New(fakesite.Options{})
	ok := createReq{MediaID: "v", Description: "标题\n#一 #二\n描述", ShortTitle: "七个字的短标题", Label: "含AI生成内容"}
	accepted := func(p Post) bool {
		return p.Title == "标题" &&
			p.Description == "描述" &&
			slices.Equal(p.Tags, []string{"一", "二"})
	}
	fakesite.CheckAccept(t, s.Kernel, s.accept, ok, accepted, []fakesite.AcceptCase[createReq]{
		{Name: "NoVideo", Edit: func(r *createReq) { r.MediaID = "x" }, Want: "上传视频"},
		{Name: "StillUploading", Edit: func(r *createReq) { r.MediaID = "busy" }, Want: "上传中"},
		{Name: "EmptyDescription", Edit: func(r *createReq) { r.Description = " " }, Want: "描述"},
		{Name: "ShortTitleTooShort", Edit: func(r *createReq) { r.ShortTitle = "五个字标题" }, Want: "短标题"},
		{Name: "ShortTitleTooLong", Edit: func(r *createReq) { r.ShortTitle = strings.Repeat("字", 17) }, Want: "短标题"},
		{Name: "ScheduleTooSoon", Edit: func(r *createReq) { r.Schedule = time.Now().Add(time.Hour).Unix() }, Want: "2小时"},
		{Name: "ScheduledDraft", Edit: func(r *createReq) { r.Draft, r.Schedule = true, time.Now().Add(3*time.Hour).Unix() }, Want: "草稿"},
		{Name: "UnknownCollection", Edit: func(r *createReq) { r.Collection = "没有这个合集" }, Want: "合集"},
		{Name: "UnknownLandscapeCover", Edit: func(r *createReq) { r.LandscapeID = "nope" }, Want: "封面"},
	})
	// The short title is optional: the form may have none (T:690-693).
	noShort := ok
	noShort.ShortTitle, noShort.Collection = "", Collections[0]
	if p, msg := s.accept(noShort); msg != "" || p.ShortTitle != "" || p.Collection != Collections[0] {
		t.Errorf("accept(no short title, a collection) = %+v, %q; want accepted", p, msg)
	}
}

// The video input is found only as the reference finds it, the first file
// input of any frame (T:624-674): it names no video type and is not in
// div.upload-content, and it comes before the cover dialogs' inputs.
func TestVideoInputNeedsTheBroadSearch(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	s.RequireLogin(false)
	resp, err := fakesite.Client(t).Get(s.URL() + "/micro/content/post/create")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if regexp.MustCompile(`accept="[^"]*video`).MatchString(body) || strings.Contains(body, `class="upload-content"`) {
		t.Errorf("the form's video input matches the narrow selectors")
	}
	first := strings.Index(body, `type="file"`)
	if first < 0 || first > strings.Index(body, "single-cover-uploader-wrap") || !strings.HasPrefix(body[first:], `type="file" class="upload-input"`) {
		t.Errorf("the first file input of the form is not the video's")
	}
}
