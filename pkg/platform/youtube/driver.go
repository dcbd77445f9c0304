// Package youtube drives YouTube Studio: the session check, video
// publishing through Studio's upload dialog and the after-the-fact check
// that a publish went through.
//
// Google's sign-in cannot be automated (the reference uploader opens a
// headed browser and the user signs in by hand, platform-flows.md §3.8), so
// an account is added by importing the cookies of a browser logged in to
// YouTube Studio (PUT /api/v1/accounts/{id}/cookies); Login says so and
// fails, and the capability table shows no QR login.
//
// The driver keeps no state between calls. It clicks and types with real
// input events only; every wait is a bounded poll of a page condition.
package youtube

import (
	"context"
	"fmt"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// Config configures a Driver. The zero value drives the real site.
type Config struct {
	// BaseURL is YouTube Studio; tests point it at a youtubetest fake.
	// Default https://studio.youtube.com.
	BaseURL string
	// UploadURL is the page that opens Studio's upload dialog. Default
	// https://www.youtube.com/upload for the real Studio, and BaseURL +
	// /upload when BaseURL points elsewhere (a fake serves both hosts on
	// one).
	UploadURL string
	// Timeouts bound the waits; zero fields take the defaults. Upload also
	// bounds the wait for Studio's checks before Done.
	Timeouts Timeouts
	// UploadRetries is how many times a failed upload is retried in the
	// page before the publish fails with ErrUploadFailed. Default 3.
	UploadRetries int
}

// Timeouts bound each kind of wait; zero fields take flow.DefaultTimeouts.
// Form bounds the wait for the details form after the file was chosen.
type Timeouts = flow.Timeouts

// Driver implements platform.Driver for YouTube.
type Driver struct {
	base    string
	upload  string
	to      Timeouts
	retries int
}

var _ platform.Driver = (*Driver)(nil)

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	s := flow.Settings{BaseURL: cfg.BaseURL, Timeouts: cfg.Timeouts, UploadRetries: cfg.UploadRetries}.
		WithDefaults(flow.Settings{BaseURL: defaultStudioURL})
	upload := cfg.UploadURL
	switch {
	case upload != "":
	case s.BaseURL == defaultStudioURL:
		upload = defaultUploadURL
	default:
		upload = s.BaseURL + pathUpload
	}
	return &Driver{base: s.BaseURL, upload: upload, to: s.Timeouts, retries: s.UploadRetries}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.YouTube }

// studio is Studio's home, which a logged-in tab is sent on from to its
// channel (/channel/<id>) and a logged-out one to Google's sign-in (§3.8
// cookie check). Found is the channel's URL.
func (d *Driver) studio() flow.Landing {
	return flow.Landing{URL: d.base + "/", Name: "studio", What: "url~" + markChannel,
		Found: fmt.Sprintf(`(m => m ? location.origin + m[0] : '')(location.pathname.match(/%s[^\/]+/))`, `\/channel\/`)}
}

// CheckLogin implements platform.Driver: the session is valid when Studio
// shows a channel, invalid when it sends the tab to Google's sign-in
// (§3.8 cookie check).
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	return page.CheckLogin(ctx, d.to, d.studio())
}

// Title returns the title as the driver types it (trimmed, cut to 100
// characters); FindPublished looks for this form.
func Title(title string) string { return flow.Truncate(collapse(title), maxTitle) }

// FindPublished implements platform.Driver: it opens the channel's content
// list (assumed: /channel/<id>/videos) and looks for a video whose title is
// the request's as Publish typed it. The result's URL is the video's page
// in Studio.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	st, err := page.Open(ctx, d.to, "find.open", d.studio())
	if err != nil {
		return platform.PublishResult{}, false, page.StepErr(ctx, "find published", err)
	}
	if st.Found == "" {
		return platform.PublishResult{}, false, fmt.Errorf("youtube: find published: redirected to %s: %w", st.URL, platform.ErrLoginRequired)
	}
	want := Title(req.Title)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: st.Found + pathVideos, Loaded: selVideoList, Items: selVideoTitles, Links: true,
		Match: func(text string) bool { return collapse(text) == want },
	})
}

// The content list (assumed): one ytcp-video-row per video, its title a
// link to the video's page.
const (
	selVideoList   = `ytcp-video-section-content`
	selVideoTitles = `ytcp-video-section-content ytcp-video-row a#video-title`
)
