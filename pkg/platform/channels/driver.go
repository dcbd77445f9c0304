// Package channels drives WeChat Channels' creator site, 视频号助手
// (channels.weixin.qq.com): QR-code login, the session check, video
// publishing (or saving a draft) and the after-the-fact check that a publish
// went through. The site puts its publish form in a same-origin iframe, so
// every page check looks through all same-origin frames (see pkg/browser's
// frame helpers), and its QR code in WeChat's frame of another origin,
// which the driver reads through the DevTools protocol (frame.go). A
// real-name check the site asks for is put to a person (platform.Ask). It
// clicks and types with real input events only. It runs in a tab the
// caller prepared and keeps no state between calls. Every wait is a bounded
// poll of a page condition; there are no fixed sleeps.
package channels

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
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

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts,
// except Upload, which defaults to 20 min because the site is slow (and
// Form, whose 2 min cover the slow form iframe after the 发表视频 click).
type Timeouts = flow.Timeouts

// defaultTimeouts are the site's own defaults (see Timeouts).
var defaultTimeouts = flow.Timeouts{Upload: 20 * time.Minute}

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
	s := flow.Settings{BaseURL: cfg.BaseURL, Declaration: cfg.Declaration, Timeouts: cfg.Timeouts, UploadRetries: cfg.UploadRetries}.
		WithDefaults(flow.Settings{BaseURL: "https://channels.weixin.qq.com", Declaration: DefaultDeclaration, Timeouts: defaultTimeouts})
	return &Driver{base: s.BaseURL, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Channels }

// entry is a JavaScript expression for the home page's 发表视频 button.
var entry = fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selHomeButton), browser.JS(textPostVideo))

// CheckLogin implements platform.Driver: the session is valid when the home
// page shows its 发表视频 button; the site sends a logged-out tab to
// login.html.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, flow.Landing{URL: d.base + pathHome,
		What: selHomeButton + `:has-text("` + textPostVideo + `")`, Found: entry + ` ? 'entry' : ''`})
}
