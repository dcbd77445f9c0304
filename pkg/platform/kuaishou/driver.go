// Package kuaishou drives the Kuaishou creator site (cp.kuaishou.com) and its
// passport login (passport.kuaishou.com): QR-code login, the session check,
// video publishing and the after-the-fact check that a publish went through.
// It runs in a tab the caller prepared (see pkg/browser) and keeps no state
// between calls. Every wait is a bounded poll of a page condition; there are
// no fixed sleeps.
//
// Kuaishou quirks the driver handles: the video is chosen in the file
// chooser the upload button opens, the caption is one editor with no title
// field (the title is typed as its first line), only the first three #tags
// are kept and each becomes a topic only when picked from the site's
// suggestions, the selects (作者声明, 加入合集) open on mousedown, the
// schedule's date input is readonly and React-controlled (set with the
// native value setter), and an onboarding tour and a notice cover the form
// on a fresh account. Every click is a pointer's.
package kuaishou

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
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

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
type Timeouts = flow.Timeouts

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
	s := flow.Settings{BaseURL: cfg.BaseURL, Declaration: cfg.Declaration, Timeouts: cfg.Timeouts,
		UploadRetries: cfg.UploadRetries, Location: cfg.Location}.WithDefaults(flow.Settings{BaseURL: "https://cp.kuaishou.com"})
	passport := strings.TrimRight(cfg.PassportURL, "/")
	if passport == "" {
		passport = "https://passport.kuaishou.com"
	}
	return &Driver{base: s.BaseURL, passport: passport, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries, loc: s.Location}
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
	return page.CheckLogin(ctx, d.to, d.uploadPage())
}

// uploadPage is the upload page, ready once its upload button shows.
func (d *Driver) uploadPage() flow.Landing {
	return flow.Landing{URL: d.base + pathUpload, Name: "upload page", What: selUploadButton,
		Found: fmt.Sprintf(`qa(%[1]s).some(vis) ? %[1]s : ''`, browser.JS(selUploadButton))}
}
