package channels_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/channels"
	"fanout/pkg/platform/channels/channelstest"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
)

// The cases here show what the fake asks of the driver that the real site
// does (platform-fidelity.md §WeChat Channels), one behaviour each.

// run publishes req in a fresh logged-in tab, recording the warnings and
// answering a verification with answer (nil: nobody can be asked).
type run struct {
	posts    []channelstest.Post
	res      platform.PublishResult
	err      error
	warnings []platform.Warning
	prompts  []platform.Prompt
}

func publish(t *testing.T, site *channelstest.Site, req platform.PublishRequest, answer func(platform.Prompt) (platform.Answer, error)) run {
	t.Helper()
	var (
		r  run
		mu sync.Mutex
	)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	ctx = platform.WithWarner(ctx, func(_ context.Context, w platform.Warning) {
		mu.Lock()
		defer mu.Unlock()
		r.warnings = append(r.warnings, w)
	})
	if answer != nil {
		ctx = platform.WithAsker(ctx, func(_ context.Context, p platform.Prompt) (platform.Answer, error) {
			mu.Lock()
			r.prompts = append(r.prompts, p)
			mu.Unlock()
			return answer(p)
		})
	}
	r.res, r.err = newDriver(site.URL(), testTimeouts).Publish(ctx, req, (&platformtest.Recorder{}).Func)
	r.posts = site.Published()
	return r
}

func (r run) onePost(t *testing.T) channelstest.Post {
	t.Helper()
	if r.err != nil {
		t.Fatalf("Publish: %v", r.err)
	}
	if len(r.posts) != 1 {
		t.Fatalf("posts = %+v, want one", r.posts)
	}
	return r.posts[0]
}

func (r run) failed(t *testing.T, step string) {
	t.Helper()
	if r.err == nil || !strings.Contains(r.err.Error(), step) {
		t.Fatalf("Publish = %v, want a failure naming %q", r.err, step)
	}
	if len(r.posts) != 0 {
		t.Errorf("posts = %+v, want none", r.posts)
	}
}

func (r run) warned(t *testing.T, steps ...string) {
	t.Helper()
	var got []string
	for _, w := range r.warnings {
		got = append(got, w.Step)
	}
	if strings.Join(got, ",") != strings.Join(steps, ",") {
		t.Errorf("warnings %v, want %v", got, steps)
	}
}

// The QR code is in a frame of another origin, which no script of the page
// reaches: the driver still reports it (a screenshot), the scan and the
// login, with the frame out of process (another site: the fake's default)
// and in the page's process (the same site, as on the real
// channels.weixin.qq.com and open.weixin.qq.com).
func TestLoginThroughTheCrossOriginFrame(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sameSite  bool
		ownTarget bool
	}{
		{"OutOfProcess", false, true},
		{"SameSiteInProcess", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := flowtest.Serve(t, channelstest.New)
			if tc.sameSite {
				// A second listener: another port of 127.0.0.1 is
				// another origin of the same site.
				other := httptest.NewServer(site)
				t.Cleanup(other.Close)
				site.SetQROrigin(other.URL)
			}
			ctx := platformtest.NewTab(t, nil, 60*time.Second)
			var phases []platform.Phase
			checked := false
			err := newDriver(site.URL(), testTimeouts).Login(ctx, func(c platform.Challenge) error {
				phases = append(phases, c.Phase)
				switch c.Phase {
				case platform.PhaseQRCode:
					if !strings.HasPrefix(c.QRCode, "data:image/png;base64,") {
						t.Errorf("QRCode = %.40q, want a PNG data URL", c.QRCode)
					}
					if !checked {
						checked = true
						checkFrameIsOtherOrigin(t, ctx, tc.ownTarget)
					}
					return site.Scan(false)
				case platform.PhaseScanned:
					return site.Scan(true)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("Login: %v (phases %v)", err, phases)
			}
			if want := "qrcode,scanned,succeeded"; joinPhases(phases) != want {
				t.Errorf("phases %v, want %s", phases, want)
			}
		})
	}
}

// checkFrameIsOtherOrigin checks that the page's scripts cannot read the
// login frame, and whether Chromium runs it as a target of its own.
func checkFrameIsOtherOrigin(t *testing.T, ctx context.Context, ownTarget bool) {
	t.Helper()
	st, err := browser.Eval[struct {
		Frames   int  `json:"frames"`
		Readable bool `json:"readable"`
		QR       bool `json:"qr"`
	}](ctx, `(() => { const fs = Array.from(document.querySelectorAll('iframe[src*="connect/qrconnect"]'));
let readable = false; for (const f of fs) { try { readable = readable || !!f.contentDocument; } catch (e) {} }
return {frames: fs.length, readable, qr: !!document.querySelector('img.qrcode')}; })()`)
	if err != nil {
		t.Fatal(err)
	}
	if st.Frames != 1 || st.Readable || st.QR {
		t.Errorf("login page: %+v, want one qrconnect frame the page cannot read, and no code of its own", st)
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab := chromedp.FromContext(ctx).Target.TargetID
	found := false
	for _, ti := range targets {
		if ti.Type == "iframe" && ti.ParentID == tab && strings.Contains(ti.URL, "connect/qrconnect") {
			found = true
		}
	}
	if found != ownTarget {
		t.Errorf("the frame is a target of its own: %v, want %v", found, ownTarget)
	}
}

func joinPhases(ps []platform.Phase) string {
	var s []string
	for _, p := range ps {
		s = append(s, string(p))
	}
	return strings.Join(s, ",")
}

// The site does not go to the post list after a publish: home by default,
// or it stays on the form without its 发表 button; both confirm it
// (T:911-923). A draft goes to the list (T:908-909).
func TestPublishConfirmedWhereverTheSiteGoes(t *testing.T) {
	for _, tc := range []struct {
		landing channelstest.Landing
		want    string
	}{
		{channelstest.LandingHome, "/platform"},
		{channelstest.LandingStay, "/platform/post/create"},
		{channelstest.LandingList, "/platform/post/list"},
	} {
		t.Run(string(tc.landing), func(t *testing.T) {
			site := flowtest.Serve(t, channelstest.New)
			site.SetPublishLanding(tc.landing)
			r := publish(t, site, platformtest.Request("发表后去哪"), nil)
			r.onePost(t)
			if !strings.HasSuffix(r.res.URL, tc.want) {
				t.Errorf("result URL %q, want it to end with %s", r.res.URL, tc.want)
			}
		})
	}
}

// 实名验证 waits for a person (T:524-549): the phone finishes it, the
// person answers done, the dialog goes and the post is sent again; one
// prompt, one post.
func TestRealNameFinishedOnThePhone(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	site.RequireVerification("864200")
	r := publish(t, site, platformtest.Request("手机上实名验证"), func(p platform.Prompt) (platform.Answer, error) {
		site.ConfirmRealName()
		return platform.Answer{Done: true}, nil
	})
	r.onePost(t)
	if len(r.prompts) != 1 || r.prompts[0].Kind != platform.VerifyRealName || !strings.Contains(r.prompts[0].Text, "实名验证") ||
		!strings.HasPrefix(r.prompts[0].Screenshot, "data:image/png") {
		t.Errorf("prompts %+v, want one real-name prompt with the dialog's text and a screenshot", r.prompts)
	}
}

// Where the reference meets the dialog, right after the video is chosen
// (T:1120): the person is asked then, and the publish goes on.
func TestRealNameWhenTheFormOpens(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	site.RequireVerification("864200")
	site.RealNameOnOpen(true)
	var prompted []platform.Prompt
	r := publish(t, site, platformtest.Request("打开表单就要实名"), func(p platform.Prompt) (platform.Answer, error) {
		prompted = append(prompted, p)
		return platform.Answer{Code: site.VerificationCode(), Done: true}, nil
	})
	r.onePost(t)
	if len(prompted) != 1 {
		t.Errorf("prompts %d, want 1", len(prompted))
	}
}

// Nobody answering is no expired account: the publish fails with the
// verification's timeout.
func TestRealNameUnanswered(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	site.RequireVerification("864200")
	site.RealNameOnOpen(true)
	r := publish(t, site, platformtest.Request("没人实名"), func(platform.Prompt) (platform.Answer, error) {
		return platform.Answer{}, platform.ErrVerificationTimeout
	})
	if !errors.Is(r.err, platform.ErrVerificationTimeout) || errors.Is(r.err, platform.ErrLoginRequired) {
		t.Fatalf("Publish = %v, want ErrVerificationTimeout", r.err)
	}
	if len(r.posts) != 0 {
		t.Errorf("posts %+v, want none", r.posts)
	}
}

// Without its placeholder the short title is found by its 短标题 label
// (T:684-689).
func TestShortTitleByItsLabel(t *testing.T) {
	for _, p := range []string{"", "概括视频主要内容，字数建议6-16个字符"} {
		site := flowtest.Serve(t, channelstest.New)
		site.SetShortTitlePlaceholder(p)
		req := platformtest.Request("短标题靠标签找")
		req.ShortTitle = "标签找到的短标题"
		if got := publish(t, site, req, nil).onePost(t).ShortTitle; got != req.ShortTitle {
			t.Errorf("placeholder %q: short title %q, want %q", p, got, req.ShortTitle)
		}
	}
}

// A form without a short title: one derived from the title is skipped
// with a warning, one the request asks for fails naming it.
func TestShortTitleMissing(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	site.BreakOption("short_title", true)
	r := publish(t, site, platformtest.Request("没有短标题"), nil)
	if p := r.onePost(t); p.ShortTitle != "" {
		t.Errorf("short title %q, want none", p.ShortTitle)
	}
	r.warned(t, "short title")

	site = flowtest.Serve(t, channelstest.New)
	site.BreakOption("short_title", true)
	req := platformtest.Request("要短标题")
	req.ShortTitle = "一定要的短标题"
	publish(t, site, req, nil).failed(t, "short title")
}

// The cover goes to both ratios (T:1063-1096): the 3:4 card as asked, the
// 4:3 feed cover from the same image as a default.
func TestCoverBothRatios(t *testing.T) {
	cover := testenv.Testdata("cover.png")
	sum := platformtest.FileSHA256(t, cover)
	req := platformtest.Request("两种封面")
	req.CoverPath = cover

	site := flowtest.Serve(t, channelstest.New)
	r := publish(t, site, req, nil)
	if p := r.onePost(t); p.CoverSHA256 != sum || p.CoverLandscapeSHA256 != sum {
		t.Errorf("covers 3:4 %q 4:3 %q, want both %q", p.CoverSHA256, p.CoverLandscapeSHA256, sum)
	}
	r.warned(t)

	site = flowtest.Serve(t, channelstest.New)
	site.BreakOption("cover_landscape", true)
	r = publish(t, site, req, nil)
	if p := r.onePost(t); p.CoverSHA256 != sum || p.CoverLandscapeSHA256 != "" {
		t.Errorf("covers 3:4 %q 4:3 %q, want only the 3:4", p.CoverSHA256, p.CoverLandscapeSHA256)
	}
	r.warned(t, "cover 4:3")

	// A dialog the failure left open is cancelled, so the 3:4 card is
	// still set.
	site = flowtest.Serve(t, channelstest.New)
	site.BreakOption("cover_landscape_file", true)
	r = publish(t, site, req, nil)
	if p := r.onePost(t); p.CoverSHA256 != sum || p.CoverLandscapeSHA256 != "" {
		t.Errorf("covers 3:4 %q 4:3 %q, want only the 3:4", p.CoverSHA256, p.CoverLandscapeSHA256)
	}
	r.warned(t, "cover 4:3")

	site = flowtest.Serve(t, channelstest.New)
	site.BreakOption("cover", true)
	publish(t, site, req, nil).failed(t, "cover")
}

// A collection is picked by its name (T:737-788); one the account does not
// have is an invalid request, and a form without collections fails the
// publish that asks for one, naming it.
func TestCollection(t *testing.T) {
	req := platformtest.Request("加入合集")
	req.Collection = channelstest.Collections[1]
	site := flowtest.Serve(t, channelstest.New)
	if got := publish(t, site, req, nil).onePost(t).Collection; got != req.Collection {
		t.Errorf("collection %q, want %q", got, req.Collection)
	}

	req.Collection = "不存在的合集"
	site = flowtest.Serve(t, channelstest.New)
	r := publish(t, site, req, nil)
	r.failed(t, "collection")
	if !errors.Is(r.err, platform.ErrInvalidRequest) || !strings.Contains(r.err.Error(), channelstest.Collections[0]) {
		t.Errorf("Publish = %v, want ErrInvalidRequest listing the collections", r.err)
	}

	req.Collection = channelstest.Collections[0]
	site = flowtest.Serve(t, channelstest.New)
	site.BreakOption("collection", true)
	publish(t, site, req, nil).failed(t, "collection")
}

// The site's pages ignore a click no pointer made (a script's
// element.click()); the driver's real clicks work.
func TestPagesNeedTrustedClicks(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	if err := browser.Navigate(ctx, 10*time.Second, "home", site.URL()+"/platform"); err != nil {
		t.Fatal(err)
	}
	if _, err := browser.Eval[bool](ctx, `(document.querySelector('#post-video').click(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitURL(ctx, time.Second, "script click", "/post/create"); err == nil {
		t.Fatalf("a script's click opened the form")
	}
	if _, err := newDriver(site.URL(), testTimeouts).Publish(ctx, platformtest.Request("真实点击"), (&platformtest.Recorder{}).Func); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(site.Published()) != 1 {
		t.Errorf("posts %+v, want one", site.Published())
	}
}

// The default label is the reference's exact 含AI生成内容 (T:790-808), and
// another platform's wording of it maps there.
func TestDefaultLabelIsTheReferences(t *testing.T) {
	if channels.DefaultDeclaration != "含AI生成内容" || channels.Declaration("内容由AI生成", "") != "含AI生成内容" {
		t.Errorf("default label %q", channels.DefaultDeclaration)
	}
}
