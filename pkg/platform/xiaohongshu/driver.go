// Package xiaohongshu drives the Xiaohongshu (小红书, RED) creator site
// (creator.xiaohongshu.com, or a mirror such as creator.rednote.com set as
// Config.BaseURL): QR-code login, the session check, video-note publishing
// and the after-the-fact check that a publish went through. It runs in a tab
// the caller prepared (see pkg/browser) and keeps no state between calls.
// Every wait is a bounded poll of a page condition; there are no fixed
// sleeps.
//
// Xiaohongshu quirks the driver handles: the note is filled only once the
// upload finished, which the status card shows in one of several ways; the
// login QR code may be an image URL, which is screenshotted; titles are cut
// to 20 characters; at most 10 #tags are kept, each typed key by key and
// chosen from the topic list the editor opens (a tag the list does not
// offer is left out with a warning); the content-type declaration may ask
// for a media name (来源转载), and a default one that fails is a warning;
// the publish button reads 定时发布 once a schedule is set.
package xiaohongshu

import (
	"context"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Config configures a Driver; the zero value drives the real site. It is
// flow.Settings: BaseURL (default https://creator.xiaohongshu.com; a mirror
// such as https://creator.rednote.com, or a xiaohongshutest fake in tests),
// Declaration (the 内容类型声明 chosen when a request names none, default
// DefaultDeclaration), Timeouts, UploadRetries (in-page retries of 上传失败,
// default 3) and Location (the schedule input's wall clock, default Beijing
// time).
type Config = flow.Settings

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
type Timeouts = flow.Timeouts

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
	s := cfg.WithDefaults(flow.Settings{BaseURL: "https://creator.xiaohongshu.com", Declaration: DefaultDeclaration})
	return &Driver{base: s.BaseURL, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries, loc: s.Location}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Xiaohongshu }

// CheckLogin implements platform.Driver: the session is valid when the
// publish page shows its file input; /login or the login box mean it is not.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, d.publishPage())
}

// publishPage is the publish page, which shows its file input to a
// logged-in tab.
func (d *Driver) publishPage() flow.Landing {
	return flow.Landing{URL: d.base + pathPublish, Name: "publish page", What: selFileInput,
		Found: fmt.Sprintf(`q(%[1]s) ? %[1]s : ''`, browser.JS(selFileInput))}
}
