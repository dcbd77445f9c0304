package tiktok_test

import (
	"context"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/tiktok"
	"fanout/pkg/platform/tiktok/tiktoktest"
	"fanout/pkg/testenv"
)

// testTimeout bounds each publish of these tests: the machine may be busy.
const testTimeout = 120 * time.Second

// nextWeek is a schedule time a week from now at hh:mm, on the tests' wall
// clock (the browser's).
func nextWeek(hh, mm int) time.Time {
	at := time.Now().AddDate(0, 0, 7)
	return time.Date(at.Year(), at.Month(), at.Day(), hh, mm, 0, 0, time.Local)
}

// publishIn publishes req in a fresh logged-in tab of site and returns the
// tab (still open) with the error.
func publishIn(t *testing.T, site *tiktoktest.Site, req platform.PublishRequest) (context.Context, error) {
	t.Helper()
	ctx := platformtest.NewTab(t, site.SessionCookies(), testTimeout)
	_, err := newDriver(site.URL(), flowtest.Timeouts).Publish(ctx, req, (&platformtest.Recorder{}).Func)
	return ctx, err
}

// langCookie is the language the tab chose in the site's menu, "" for none.
func langCookie(t *testing.T, ctx context.Context) string {
	t.Helper()
	cookies, err := browser.Cookies(ctx)
	if err != nil {
		t.Fatalf("cookies: %v", err)
	}
	for _, c := range cookies {
		if c.Name == tiktoktest.LangCookie {
			return c.Value
		}
	}
	return ""
}

// A Chinese interface is one the driver knows: it publishes in it without
// the menu, pages the calendar by its Chinese month names (the calendar
// opens two months early here), confirms the post with 立即发布, and finds
// "Your brand" as 你的品牌.
func TestPublishInChineseKeepsTheLanguage(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	site.SetLanguage(tiktoktest.Chinese)
	site.SetCalendarOffset(-2)
	req := platformtest.Request("春天的第一场雨")
	req.Declaration = "Your brand"
	req.CoverPath = testenv.Testdata("cover.png")
	req.ScheduleAt = nextWeek(21, 35)
	ctx, err := publishIn(t, site, req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	posts := site.Published()
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	if p := posts[0]; p.Declaration != "Your brand" || !p.ScheduleAt.Equal(req.ScheduleAt) || p.CoverSHA256 == "" {
		t.Errorf("post = %+v, want Your brand, scheduled at %v, with the cover", p, req.ScheduleAt)
	}
	if lang := langCookie(t, ctx); lang != "" {
		t.Errorf("the driver chose %q in the menu, want the Chinese interface kept", lang)
	}
}

// The default AI-generated content on the Chinese interface: the switch
// turns on once its dialog is confirmed (开启).
func TestPublishInChineseDefaultDisclosure(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	site.SetLanguage(tiktoktest.Chinese)
	if _, err := publishIn(t, site, platformtest.Request("默认声明")); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if posts := site.Published(); len(posts) != 1 || posts[0].Declaration != tiktok.DefaultDeclaration {
		t.Fatalf("posts = %+v, want one with %q", posts, tiktok.DefaultDeclaration)
	}
}

// The English calendar's title is the month's name only too; opened a month
// late, the driver pages back by name.
func TestCalendarPagesBackByMonthName(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	site.SetCalendarOffset(1)
	req := platformtest.Request("Paged back")
	req.ScheduleAt = nextWeek(8, 5)
	if _, err := publishIn(t, site, req); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if posts := site.Published(); len(posts) != 1 || !posts[0].ScheduleAt.Equal(req.ScheduleAt) {
		t.Fatalf("posts = %+v, want one scheduled at %v", posts, req.ScheduleAt)
	}
}

// A language the driver does not know (German here) is switched to English
// (US) in the home page's menu, with real clicks: the site ignores lang=en.
func TestPublishSwitchesAnUnknownLanguageToEnglish(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	site.SetLanguage(tiktoktest.German)
	req := platformtest.Request("Umgestellt")
	req.Declaration = "Branded content"
	req.ScheduleAt = nextWeek(12, 0)
	ctx, err := publishIn(t, site, req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if posts := site.Published(); len(posts) != 1 || posts[0].Declaration != "Branded content" || !posts[0].ScheduleAt.Equal(req.ScheduleAt) {
		t.Fatalf("posts = %+v, want one with Branded content at %v", posts, req.ScheduleAt)
	}
	if lang := langCookie(t, ctx); lang != tiktoktest.English {
		t.Errorf("language chosen in the menu = %q, want %q", lang, tiktoktest.English)
	}
}

// The fake asks what the real site asks: a click no pointer made does
// nothing; turning on AI-generated content waits for its dialog; Post asks
// to confirm, and only "Post now" posts.
func TestFakeNeedsRealClicksAndBothConfirmations(t *testing.T) {
	site := flowtest.Serve(t, tiktoktest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), testTimeout)
	const wait = 30 * time.Second
	until := func(what, cond string) {
		t.Helper()
		err := browser.Until(ctx, wait, "test", what, func(ctx context.Context) (bool, error) { return browser.Eval[bool](ctx, cond) })
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	is := func(cond string) bool {
		t.Helper()
		ok, err := browser.Eval[bool](ctx, cond)
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		return ok
	}
	click := func(what, css string) {
		t.Helper()
		if err := browser.ClickJS(ctx, "test", what, `document.querySelector(`+browser.JS(css)+`)`); err != nil {
			t.Fatalf("click %s: %v", what, err)
		}
	}
	const (
		post      = `button[data-e2e="post_video_button"]`
		dialog    = `#post-confirm`
		aigc      = `[data-e2e="aigc_container"]`
		aigcOn    = `document.querySelector('[data-e2e="aigc_container"] .Switch__content').getAttribute('aria-checked') === 'true'`
		aigcModal = `#aigc-modal`
	)
	shown := func(css string) string {
		return `(e => !!e && !e.hidden)(document.querySelector(` + browser.JS(css) + `))`
	}
	if err := browser.Navigate(ctx, wait, "test", site.URL()+"/tiktokstudio/upload"); err != nil {
		t.Fatal(err)
	}
	if err := browser.SetFiles(ctx, wait, "test", `input[type="file"][accept*="video"]`, platformtest.Request("x").VideoPath); err != nil {
		t.Fatal(err)
	}
	until("upload done", `(b => !!b && !b.disabled)(document.querySelector('`+post+`'))`)

	click("Show more", `.more-btn`)
	click("AI-generated content", aigc+` .Switch__root`)
	if !is(shown(aigcModal)) || is(aigcOn) {
		t.Fatalf("AI-generated content: want its dialog, the switch still off")
	}
	click("Turn on", aigcModal+` button[data-type="primary"]`)
	until("AI-generated content on", aigcOn)

	if !is(`(document.querySelector('`+post+`').click(), true)`) || is(shown(dialog)) {
		t.Fatalf("a script's click on Post opened the dialog; want it ignored")
	}
	click("Post", post)
	until("confirm dialog", shown(dialog))
	if n := len(site.Published()); n != 0 {
		t.Fatalf("%d posts before the confirmation, want none", n)
	}
	click("Post now", dialog+` button[data-action="post-now"]`)
	until("content page", `location.pathname === '/tiktokstudio/content'`)
	if posts := site.Published(); len(posts) != 1 || posts[0].Declaration != tiktok.DefaultDeclaration {
		t.Fatalf("posts = %+v, want one with %s", posts, tiktok.DefaultDeclaration)
	}
}
