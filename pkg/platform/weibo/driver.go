// Package weibo drives Weibo (weibo.com) and its passport sign-in
// (passport.weibo.com): QR-code login, the session check, video publishing
// and the after-the-fact check that a publish went through. It runs in a
// tab the caller prepared (see pkg/browser) and keeps no state between
// calls. Every wait is a bounded, condition-based wait; there are no fixed
// sleeps.
//
// Weibo quirks the driver handles (platform-flows.md §3.9): the publish
// page is not a URL to open but a NEW WINDOW that the home's 视频 entry
// opens, which the driver follows (browser.FollowPopup) and works in to the
// end; the video is chosen in the file chooser 上传视频 opens; a cover is
// mandatory, and its 完成 closes the cover layer only once the site has
// processed the crop; the success is a layer on the same page (再发一条视频),
// not another URL. Every click is a pointer's.
package weibo

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Config configures a Driver. The zero value drives the real site.
type Config struct {
	// BaseURL is weibo.com; tests point it at a weibotest fake. Default
	// https://weibo.com.
	BaseURL string
	// PassportURL is the sign-in site. Default https://passport.weibo.com.
	// The fake serves it on its one base URL, so tests set both.
	PassportURL string
	// Declaration is the content declaration (内容声明) chosen when a
	// request names none. Default the platform's (含AI生成内容).
	Declaration string
	// Timeouts bound the waits; zero fields take flow.DefaultTimeouts.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload (上传失败) is retried
	// in the page before the publish fails with ErrUploadFailed. Default 3.
	UploadRetries int
}

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
type Timeouts = flow.Timeouts

// Driver implements platform.Driver for Weibo.
type Driver struct {
	base        string
	passport    string
	declaration string
	to          Timeouts
	retries     int
}

var _ platform.Driver = (*Driver)(nil)

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	s := flow.Settings{BaseURL: cfg.BaseURL, Declaration: cfg.Declaration, Timeouts: cfg.Timeouts,
		UploadRetries: cfg.UploadRetries}.WithDefaults(flow.Settings{BaseURL: "https://weibo.com",
		Declaration: platform.CapabilitiesOf(platform.Weibo).DefaultDeclaration})
	passport := strings.TrimRight(cfg.PassportURL, "/")
	if passport == "" {
		passport = "https://passport.weibo.com"
	}
	return &Driver{base: s.BaseURL, passport: passport, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Weibo }

// loginURL is the passport's QR sign-in returning to the home (§3.9).
func (d *Driver) loginURL() string {
	return d.passport + pathSignin + url.QueryEscape(d.base+pathHome)
}

// home is the home page, ready once its 视频 entry shows.
func (d *Driver) home() flow.Landing {
	return flow.Landing{URL: d.base + pathHome, Name: "home", What: fmt.Sprintf(`span:has-text(%q)`, textVideoEntry),
		Found: fmt.Sprintf(`%s ? 'span' : ''`, videoEntry)}
}

// CheckLogin implements platform.Driver as the tool checks (§3.9): the
// session is valid when the home shows (its 视频 entry) and the tab was
// not sent to newlogin or the passport, nor shows 登录.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, d.home())
}

// FindPublished implements platform.Driver: it opens the home feed
// (assumed to list the account's own posts) and looks for a video whose
// title is the request's as Publish typed it.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	want := Title(req.Title)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: d.base + pathHome, Loaded: selFeedLoaded, Items: selFeedTitles,
		Match: func(title string) bool { return strings.TrimSpace(title) == want },
	})
}

// Title returns the title as the site keeps it: trimmed, its first 30
// characters (§3.9 step 6). FindPublished looks for this form.
func Title(title string) string { return flow.Truncate(strings.TrimSpace(title), maxTitle) }

// Declaration returns the declaration a request asks for: decl, or def
// when decl is empty. Other platforms' wording of the AI label maps to
// this site's 含AI生成内容.
func Declaration(decl, def string) string { return flow.Declaration(decl, def, declarationAliases) }
