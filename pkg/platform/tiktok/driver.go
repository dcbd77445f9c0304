// Package tiktok drives TikTok's web upload flow (TikTok Studio on
// www.tiktok.com): the session check, video publishing and the
// after-the-fact check that a publish went through, plus the QR-code login
// its login page offers ("Use QR code").
//
// The real TikTok login often asks for a captcha or a second factor that no
// headless browser can answer, and the reference uploader logs in by hand.
// The supported way to add a TikTok account is therefore to import the
// cookies of a browser that is logged in (PUT /api/v1/accounts/{id}/cookies
// with a Playwright storage state); Login automates the QR page for the
// cases where TikTok lets it through.
//
// The driver asks for the English interface (lang=en) and keeps no state
// between calls. Every wait is a bounded poll of a page condition; there are
// no fixed sleeps.
package tiktok

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
	// BaseURL is the TikTok site (login and TikTok Studio); tests point it
	// at a tiktoktest fake. Default https://www.tiktok.com.
	BaseURL string
	// Declaration is the content disclosure chosen when a request names
	// none. Default DefaultDeclaration.
	Declaration string
	// Timeouts bound the waits; zero fields take the defaults.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload is retried in the
	// page before the publish fails with ErrUploadFailed. Default 3.
	UploadRetries int
}

// Timeouts bound each kind of wait. The defaults are generous because the
// real site is slow; tests use short ones.
type Timeouts struct {
	// Page bounds a navigation. Default 60s.
	Page time.Duration
	// Element bounds the wait for an element or text that should already
	// be on its way (a dialog opening, a button enabling). Default 20s.
	Element time.Duration
	// Form bounds the wait for the caption editor after the file was
	// chosen. Default 2 min.
	Form time.Duration
	// Upload bounds the upload and processing of the video. Default 10 min.
	Upload time.Duration
	// Publish bounds the wait for the content page after the Post click.
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

// Driver implements platform.Driver for TikTok.
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
		d.base = "https://www.tiktok.com"
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
func (d *Driver) Name() platform.Name { return platform.TikTok }

// openState is what the upload page shows right after the navigation.
type openState struct {
	URL       string `json:"url"`
	Ready     bool   `json:"ready"`
	Login     bool   `json:"login"`
	FileInput string `json:"fileInput"`
}

func (d *Driver) probeOpen(ctx context.Context) (openState, error) {
	return evalJS[openState](ctx, fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading',
login: isLogin(), fileInput: %s.find(s => q(s)) || ''})`, jsList(fileInputSelectors)))
}

// CheckLogin implements platform.Driver: the session is valid when TikTok
// Studio's upload page shows its file input; a logged-out tab is sent to
// the login page.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	if err := browser.Navigate(ctx, d.to.Page, "check-login", d.base+pathUpload+langQuery); err != nil {
		return false, fmt.Errorf("tiktok: check login: %w", err)
	}
	var st openState
	err := browser.Until(ctx, d.to.Element, "check-login", fileInputSelectors[0]+" or login page", func(ctx context.Context) (bool, error) {
		var err error
		st, err = d.probeOpen(ctx)
		return err == nil && (st.FileInput != "" || (st.Ready && st.Login)), err
	})
	if err != nil {
		return false, fmt.Errorf("tiktok: check login: %w", err)
	}
	return st.FileInput != "" && !st.Login, nil
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
		return fmt.Errorf("tiktok: %s: %w", op, ctx.Err())
	}
	if errors.Is(err, platform.ErrLoginRequired) || errors.Is(err, platform.ErrInvalidRequest) {
		return fmt.Errorf("tiktok: %s: %w", op, err)
	}
	var se *platform.SelectorError
	if (errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded)) && d.atLogin(ctx) {
		return fmt.Errorf("tiktok: %s: redirected to the login page: %w", op, platform.ErrLoginRequired)
	}
	return fmt.Errorf("tiktok: %s: %w", op, err)
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
