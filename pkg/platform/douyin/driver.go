// Package douyin drives the Douyin creator site (creator.douyin.com): QR-code
// login, the session check, video publishing and the after-the-fact check
// that a publish went through. It runs in a tab the caller prepared (see
// pkg/browser) and keeps no state between calls. Every wait is a bounded
// poll of a page condition; there are no fixed sleeps.
package douyin

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Config configures a Driver; the zero value drives the real site. It is
// flow.Settings: BaseURL (default https://creator.douyin.com, tests point it
// at a douyintest fake), Declaration (the 自主声明 chosen when a request names
// none, default DefaultDeclaration), Timeouts, UploadRetries (in-page retries
// of 上传失败, default 3) and Location (the schedule input's wall clock,
// default Beijing time).
type Config = flow.Settings

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
// Douyin's Form bound also covers the v2 form, which renders only after
// part of the upload.
type Timeouts = flow.Timeouts

// Driver implements platform.Driver for Douyin.
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
	s := cfg.WithDefaults(flow.Settings{BaseURL: "https://creator.douyin.com", Declaration: DefaultDeclaration})
	return &Driver{base: s.BaseURL, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries, loc: s.Location}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Douyin }

// CheckLogin implements platform.Driver: the session is valid when the
// upload page stays on its URL and shows no login form.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, d.uploadPage())
}

// uploadPage is the upload page, which shows one of fileInputSelectors to a
// logged-in tab and sends any other away from its URL.
func (d *Driver) uploadPage() flow.Landing {
	return flow.Landing{
		URL:   d.base + pathUpload,
		Name:  "upload page",
		What:  fileInputSelectors[0],
		Found: fmt.Sprintf(`%s.find(s => document.querySelector(s))`, flow.JSList(fileInputSelectors)),
		Login: fmt.Sprintf(`isLogin() || !location.href.includes(%s)`, browser.JS(markUpload)),
	}
}
