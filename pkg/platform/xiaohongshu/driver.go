// Package xiaohongshu drives the Xiaohongshu (小红书, RED) creator site
// (creator.xiaohongshu.com, or a mirror such as creator.rednote.com set as
// Config.BaseURL): QR-code login, the session check, video-note publishing
// and the after-the-fact check that a publish went through. It runs in a tab
// the caller prepared (see pkg/browser) and keeps no state between calls.
// Every wait is a bounded poll of a page condition; there are no fixed
// sleeps.
//
// Xiaohongshu quirks the driver handles: titles are cut to 20 characters,
// at most 10 #tags are kept and each is chosen from the topic list the
// editor opens (a tag the list does not offer is left out), the content-type
// declaration may ask for a media name (来源转载), and the publish button
// reads 定时发布 once a schedule is set.
package xiaohongshu

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
	// BaseURL is the creator site: a mirror such as
	// https://creator.rednote.com, or a xiaohongshutest fake in tests.
	// Default https://creator.xiaohongshu.com.
	BaseURL string
	// Declaration is the content-type declaration (内容类型声明) chosen when
	// a request names none. Default DefaultDeclaration.
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
	// be on its way (a dialog opening, the topic list). Default 20s.
	Element time.Duration
	// Form bounds the wait for the note form after the file was chosen.
	// Default 2 min.
	Form time.Duration
	// Upload bounds the upload and processing of the video. Default 10 min.
	Upload time.Duration
	// Publish bounds the wait for the success page after the publish
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
	def(&t.Upload, 10*time.Minute)
	def(&t.Publish, 60*time.Second)
	def(&t.Login, 3*time.Minute)
	return t
}

// Driver implements platform.Driver for Xiaohongshu.
type Driver struct {
	base        string
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
		declaration: cfg.Declaration,
		to:          cfg.Timeouts.withDefaults(),
		retries:     cfg.UploadRetries,
		loc:         cfg.Location,
	}
	if d.base == "" {
		d.base = "https://creator.xiaohongshu.com"
	}
	if d.declaration == "" {
		d.declaration = DefaultDeclaration
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
func (d *Driver) Name() platform.Name { return platform.Xiaohongshu }

// CheckLogin implements platform.Driver: the session is valid when the
// publish page shows its file input; /login or the login box mean it is not.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	if err := browser.Navigate(ctx, d.to.Page, "check-login", d.base+pathPublish); err != nil {
		return false, fmt.Errorf("xiaohongshu: check login: %w", err)
	}
	var valid bool
	err := browser.Until(ctx, d.to.Element, "check-login", selFileInput+" or login box", func(ctx context.Context) (bool, error) {
		st, err := d.probeOpen(ctx)
		if err != nil {
			return false, err
		}
		switch {
		case st.Login:
			valid = false
			return st.Ready, nil
		case st.FileInput:
			valid = true
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return false, fmt.Errorf("xiaohongshu: check login: %w", err)
	}
	return valid, nil
}

// openState is what the publish page shows right after the navigation.
type openState struct {
	URL       string `json:"url"`
	Ready     bool   `json:"ready"`
	Login     bool   `json:"login"`
	FileInput bool   `json:"fileInput"`
}

func (d *Driver) probeOpen(ctx context.Context) (openState, error) {
	return evalJS[openState](ctx, fmt.Sprintf(`({url: location.href, ready: document.readyState !== 'loading',
login: isLogin(), fileInput: !!document.querySelector(%s)})`, browser.JS(selFileInput)))
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
		return fmt.Errorf("xiaohongshu: %s: %w", op, ctx.Err())
	}
	var se *platform.SelectorError
	if (errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded)) && d.atLogin(ctx) {
		return fmt.Errorf("xiaohongshu: %s: redirected to the login page: %w", op, platform.ErrLoginRequired)
	}
	return fmt.Errorf("xiaohongshu: %s: %w", op, err)
}
