// Package kuaishou drives the Kuaishou creator site (cp.kuaishou.com) and its
// passport login (passport.kuaishou.com): QR-code login, the session check,
// video publishing and the after-the-fact check that a publish went through.
// It runs in a tab the caller prepared (see pkg/browser) and keeps no state
// between calls. Every wait is a bounded poll of a page condition; there are
// no fixed sleeps.
//
// Kuaishou quirks the driver handles: the caption is one editor with no
// title field (the title is typed as its first line), only the first three
// #tags are kept, the schedule's date input is readonly and React-controlled
// (set with the native value setter), and an onboarding tour covers the form
// on a fresh account.
package kuaishou

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// Config configures a Driver. The zero value drives the real site.
type Config struct {
	// BaseURL is the creator site; tests point it at a kuaishoutest fake.
	// Default https://cp.kuaishou.com.
	BaseURL string
	// PassportURL is the login site. Default https://passport.kuaishou.com.
	// The fake serves it on its one base URL, so tests set both.
	PassportURL string
	// Declaration is the author declaration (作者声明) chosen when a request
	// names none. Default none: Kuaishou publishes without one.
	Declaration string
	// Timeouts bound the waits; zero fields take the defaults.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload (上传失败) is retried
	// in the page before the publish fails with ErrUploadFailed. Default 3.
	UploadRetries int
	// Location is the wall clock of the schedule input. Default Beijing
	// time (UTC+8), which the site uses.
	Location *time.Location
}

// Timeouts bound each kind of wait. The defaults are generous because the
// real site is slow under load; tests use short ones.
type Timeouts struct {
	// Page bounds a navigation. Default 60s.
	Page time.Duration
	// Element bounds the wait for an element or text that should already
	// be on its way (a dialog opening, a button enabling). Default 20s.
	Element time.Duration
	// Form bounds the wait for the publish form after the file was chosen.
	// Default 2 min.
	Form time.Duration
	// Upload bounds the upload and processing of the video. Default 10 min.
	Upload time.Duration
	// Publish bounds the wait for the manage page after the publish click.
	// Default 60s.
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
	def(&t.Upload, 10*time.Minute)
	def(&t.Publish, 60*time.Second)
	def(&t.Login, 3*time.Minute)
	return t
}

// Driver implements platform.Driver for Kuaishou.
type Driver struct {
	base        string
	passport    string
	declaration string
	to          Timeouts
	retries     int
	loc         *time.Location
}

var _ platform.Driver = (*Driver)(nil)

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	d := &Driver{
		base:        strings.TrimRight(cfg.BaseURL, "/"),
		passport:    strings.TrimRight(cfg.PassportURL, "/"),
		declaration: cfg.Declaration,
		to:          cfg.Timeouts.withDefaults(),
		retries:     cfg.UploadRetries,
		loc:         cfg.Location,
	}
	if d.base == "" {
		d.base = "https://cp.kuaishou.com"
	}
	if d.passport == "" {
		d.passport = "https://passport.kuaishou.com"
	}
	if d.retries <= 0 {
		d.retries = 3
	}
	if d.loc == nil {
		d.loc = time.FixedZone("CST", 8*3600)
	}
	return d
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Kuaishou }

// loginURL is the passport login with the callback that sets the creator
// site's cookies and returns to the upload page, as the site builds it.
func (d *Driver) loginURL() string {
	callback := d.base + pathSTS + "?followUrl=" + url.QueryEscape(d.base+pathUpload) + "&setRootDomain=true"
	return d.passport + pathLogin + "?sid=" + loginSID + "&callback=" + url.QueryEscape(callback)
}

// CheckLogin implements platform.Driver: the session is valid when the
// upload page shows its upload button; the passport login, 立即登录 or the
// legacy 机构服务 marker mean it is not.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	if err := browser.Navigate(ctx, d.to.Page, "check-login", d.base+pathUpload); err != nil {
		return false, fmt.Errorf("kuaishou: check login: %w", err)
	}
	var valid bool
	err := browser.Until(ctx, d.to.Element, "check-login", selUploadButton+" or login form", func(ctx context.Context) (bool, error) {
		st, err := d.probeOpen(ctx)
		if err != nil {
			return false, err
		}
		switch {
		case st.Login:
			valid = false
			return st.Ready, nil
		case st.Upload:
			valid = true
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return false, fmt.Errorf("kuaishou: check login: %w", err)
	}
	return valid, nil
}

// openState is what the upload page shows right after the navigation.
type openState struct {
	URL   string `json:"url"`
	Ready bool   `json:"ready"`
	Login bool   `json:"login"`
	// Upload is true once the upload button is visible; its file input
	// is then marked data-fanout-file.
	Upload bool `json:"upload"`
}

func (d *Driver) probeOpen(ctx context.Context) (openState, error) {
	return evalJS[openState](ctx, fmt.Sprintf(`(() => {
const b = Array.from(document.querySelectorAll(%s)).find(vis);
let input = null;
for (let p = b; p && !input; p = p.parentElement) input = p.querySelector(%s);
if (input) input.setAttribute('data-fanout-file', '1');
return {url: location.href, ready: document.readyState !== 'loading', login: isLogin(), upload: !!input};
})()`, browser.JS(selUploadButton), browser.JS(selFileInput)))
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
		return fmt.Errorf("kuaishou: %s: %w", op, ctx.Err())
	}
	var se *platform.SelectorError
	if (errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded)) && d.atLogin(ctx) {
		return fmt.Errorf("kuaishou: %s: redirected to the login page: %w", op, platform.ErrLoginRequired)
	}
	return fmt.Errorf("kuaishou: %s: %w", op, err)
}
