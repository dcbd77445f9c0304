// Package tiktok drives TikTok's web upload flow (TikTok Studio on
// www.tiktok.com): the session check, video publishing and the
// after-the-fact check that a publish went through, plus the QR-code login
// its login page offers ("Use QR code").
//
// The real TikTok login often asks for a captcha or a second factor that no
// headless browser can answer, and the reference uploader logs in by hand.
// The supported way to add a TikTok account is therefore to import the
// cookies of a browser that is logged in (PUT /api/v1/accounts/{id}/cookies
// with a Playwright storage state), and the capability table says so
// (QRLogin false); Login automates the QR page for the cases where TikTok
// lets it through, with selectors no working tool confirms.
//
// The site speaks the account's language whatever a lang query asks for, so
// a publish first reads it on the home page: English and Chinese the driver
// knows (lang.go); any other it switches to English (US) in the menu, as the
// reference does. The driver keeps no state between calls. It clicks with
// real pointer input only. Every wait is a bounded poll of a page condition;
// there are no fixed sleeps.
package tiktok

import (
	"context"
	"fmt"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
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

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
// Form bounds the wait for the caption editor after the file was chosen.
type Timeouts = flow.Timeouts

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
	s := flow.Settings{BaseURL: cfg.BaseURL, Declaration: cfg.Declaration, Timeouts: cfg.Timeouts, UploadRetries: cfg.UploadRetries}.
		WithDefaults(flow.Settings{BaseURL: "https://www.tiktok.com", Declaration: DefaultDeclaration})
	return &Driver{base: s.BaseURL, declaration: s.Declaration, to: s.Timeouts, retries: s.UploadRetries}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.TikTok }

// CheckLogin implements platform.Driver: the session is valid when TikTok
// Studio's upload page shows its file input; a logged-out tab is sent to
// the login page.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, d.uploadPage(langQuery))
}

// uploadPage is TikTok Studio's upload page, with the query query, which
// shows one of fileInputSelectors (in any frame) to a logged-in tab.
func (d *Driver) uploadPage(query string) flow.Landing {
	return flow.Landing{URL: d.base + pathUpload + query, Name: "upload page", What: fileInputSelectors[0],
		Found: fmt.Sprintf(`%s.find(s => q(s))`, flow.JSList(fileInputSelectors))}
}
