// Package channels drives WeChat Channels' creator site, 视频号助手
// (channels.weixin.qq.com): QR-code login, the session check, video
// publishing (or saving a draft) and the after-the-fact check that a publish
// went through. The site puts its QR code and, in some versions, its publish
// form in same-origin iframes, so every page check looks through all
// same-origin frames (see pkg/browser's frame helpers). It runs in a tab the
// caller prepared and keeps no state between calls. Every wait is a bounded
// poll of a page condition; there are no fixed sleeps.
package channels

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// Config configures a Driver. The zero value drives the real site.
type Config struct {
	// BaseURL is the 视频号助手 site; tests point it at a channelstest fake.
	// Default https://channels.weixin.qq.com.
	BaseURL string
	// Declaration is the video label (视频标注) chosen when a request names
	// none. Default DefaultDeclaration.
	Declaration string
	// Timeouts bound the waits; zero fields take the defaults.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload is deleted and
	// uploaded again in the page before the publish fails with
	// ErrUploadFailed. Default 3.
	UploadRetries int
}

// Timeouts bound each kind of wait. The defaults are generous because the
// real site is slow (its form iframe loads slowly); tests use short ones.
type Timeouts struct {
	// Page bounds a navigation. Default 60s.
	Page time.Duration
	// Element bounds the wait for an element or text that should already
	// be on its way (a dialog opening, a button enabling). Default 20s.
	Element time.Duration
	// Form bounds the wait for the publish form after the home page's
	// 发表视频 click (the form iframe loads slowly). Default 2 min.
	Form time.Duration
	// Upload bounds the upload and processing of the video. Default 20 min.
	Upload time.Duration
	// Publish bounds the wait for the post list after the 发表 or 保存草稿
	// click. Default 60s.
	Publish time.Duration
	// Login bounds a whole QR login, including refreshed codes. Default 3 min.
	Login time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&t.Page, 60*time.Second)
	def(&t.Element, 20*time.Second)
	def(&t.Form, 2*time.Minute)
	def(&t.Upload, 20*time.Minute)
	def(&t.Publish, 60*time.Second)
	def(&t.Login, 3*time.Minute)
	return t
}

// Driver implements platform.Driver for WeChat Channels.
type Driver struct {
	base        string
	declaration string
	to          Timeouts
	retries     int
}

var _ platform.Driver = (*Driver)(nil)

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	d := &Driver{
		base:        strings.TrimRight(cfg.BaseURL, "/"),
		declaration: cfg.Declaration,
		to:          cfg.Timeouts.withDefaults(),
		retries:     cfg.UploadRetries,
	}
	if d.base == "" {
		d.base = "https://channels.weixin.qq.com"
	}
	if d.declaration == "" {
		d.declaration = DefaultDeclaration
	}
	if d.retries <= 0 {
		d.retries = 3
	}
	return d
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Channels }

// homeState is what the home page shows after the navigation.
type homeState struct {
	URL   string `json:"url"`
	Ready bool   `json:"ready"`
	Login bool   `json:"login"`
	Entry bool   `json:"entry"`
}

func (d *Driver) probeHome(ctx context.Context) (homeState, error) {
	return evalJS[homeState](ctx, fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading',
login: isLogin(), entry: !!findIn(%s, %s, false)})`, browser.JS(selHomeButton), browser.JS(textPostVideo)))
}

// CheckLogin implements platform.Driver: the session is valid when the home
// page shows its 发表视频 button; the site sends a logged-out tab to
// login.html.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	if err := browser.Navigate(ctx, d.to.Page, "check-login", d.base+pathHome); err != nil {
		return false, fmt.Errorf("channels: check login: %w", err)
	}
	var st homeState
	err := browser.Until(ctx, d.to.Element, "check-login", selHomeButton+`:has-text("`+textPostVideo+`") or login page`, func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeHome(ctx)
		return err == nil && (st.Entry || (st.Ready && st.Login)), err
	})
	if err != nil {
		return false, fmt.Errorf("channels: check login: %w", err)
	}
	return st.Entry && !st.Login, nil
}

// atLogin reports whether the tab was sent to the login page, which is how
// the site answers an expired session at any step.
func (d *Driver) atLogin(ctx context.Context) bool {
	ok, err := evalJS[bool](ctx, `isLogin()`)
	return err == nil && ok
}

// stepErr turns a failed step into the error Publish returns: a tab that
// ended on the login page means the session expired (ErrLoginRequired),
// whatever element the step was waiting for.
func (d *Driver) stepErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("channels: %s: %w", op, ctx.Err())
	}
	if errors.Is(err, platform.ErrLoginRequired) || errors.Is(err, platform.ErrInvalidRequest) {
		return fmt.Errorf("channels: %s: %w", op, err)
	}
	var se *platform.SelectorError
	if (errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded)) && d.atLogin(ctx) {
		return fmt.Errorf("channels: %s: redirected to the login page: %w", op, platform.ErrLoginRequired)
	}
	return fmt.Errorf("channels: %s: %w", op, err)
}

// wait polls the JavaScript condition cond (jsLib in scope) until it is true.
func (d *Driver) wait(ctx context.Context, timeout time.Duration, step, what, cond string) error {
	return browser.Until(ctx, timeout, step, what, func(ctx context.Context) (bool, error) {
		return evalJS[bool](ctx, "!!("+cond+")")
	})
}

// waitClick waits for the element that elem (a JavaScript expression that
// yields an element or null) finds, then clicks it.
func (d *Driver) waitClick(ctx context.Context, step, what, elem string) error {
	if err := d.wait(ctx, d.to.Element, step, what, elem); err != nil {
		return err
	}
	return clickJS(ctx, step, what, elem)
}
