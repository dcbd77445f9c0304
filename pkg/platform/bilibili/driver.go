// Package bilibili publishes to Bilibili without a browser, over the HTTP
// protocol the working open uploaders use (biliup; see
// /work/shared/reference/bilibili-upload.md, cited as §n): the TV QR login
// through the passport API, a token check and refresh before every task,
// the UPOS upload (preupload, init, parallel chunk PUTs, complete), the
// cover upload and the submit. It implements platform.Browserless: the
// worker hands it the account's cookies and a proxied HTTP client in ctx
// (platform.HTTPSession) and opens no browser context for it.
package bilibili

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fanout/pkg/platform"
)

// Config points the driver at Bilibili's hosts (or a fake's) and tunes it.
// Zero values take the defaults noted.
type Config struct {
	// BaseURL is the member (creator) host: preupload, cover, submit and
	// the archive list. Default https://member.bilibili.com.
	BaseURL string
	// PassportURL is the login host: QR login, token check and refresh.
	// Default https://passport.bilibili.com.
	PassportURL string
	// APIURL is the host of x/space/myinfo, the login check. Default
	// https://api.bilibili.com.
	APIURL string
	// Line is the upload line (upcdn) asked for in the preupload. Default
	// bda2, which biliup's maintainer recommends for mainland hosts
	// (§3.1, biliup/biliup#644); the automatic probe is not done.
	Line string
	// Threads is how many chunks are in flight at once. Default 3, biliup's
	// --limit (§3.4).
	Threads int
	// ChunkRetries is how often one chunk PUT is retried (default 3) and
	// RetryBase the first backoff, doubled per retry with up to a second of
	// jitter and capped at 64s (default 2s; §3.6).
	ChunkRetries int
	RetryBase    time.Duration
	// PollInterval is the QR poll period (default 1s, §2.1 step 3) and
	// LoginTimeout bounds a whole login, refreshed codes included
	// (default 3 min).
	PollInterval, LoginTimeout time.Duration
	// Timeout bounds one API call (default 30s); ChunkTimeout one chunk PUT
	// (default 240s, §3.4) and the init and complete calls take 60s (§3.3).
	Timeout, ChunkTimeout time.Duration
}

// Driver is the Bilibili driver. It keeps no state between calls.
type Driver struct {
	cfg  Config
	http *http.Client
}

// New returns a driver for cfg.
func New(cfg Config) *Driver {
	cfg.BaseURL = strings.TrimRight(cmp.Or(cfg.BaseURL, "https://member.bilibili.com"), "/")
	cfg.PassportURL = strings.TrimRight(cmp.Or(cfg.PassportURL, "https://passport.bilibili.com"), "/")
	cfg.APIURL = strings.TrimRight(cmp.Or(cfg.APIURL, "https://api.bilibili.com"), "/")
	cfg.Line = cmp.Or(cfg.Line, "bda2")
	cfg.Threads = cmp.Or(cfg.Threads, 3)
	cfg.ChunkRetries = cmp.Or(cfg.ChunkRetries, 3)
	cfg.RetryBase = cmp.Or(cfg.RetryBase, 2*time.Second)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, time.Second)
	cfg.LoginTimeout = cmp.Or(cfg.LoginTimeout, 3*time.Minute)
	cfg.Timeout = cmp.Or(cfg.Timeout, 30*time.Second)
	cfg.ChunkTimeout = cmp.Or(cfg.ChunkTimeout, 240*time.Second)
	return &Driver{cfg: cfg, http: &http.Client{
		// Every call is bounded by its own context; redirects are not the
		// protocol's, so they are not followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Name implements platform.Driver.
func (d *Driver) Name() platform.Name { return platform.Bilibili }

// Browserless implements platform.Browserless: the worker opens no browser
// for this driver.
func (d *Driver) Browserless() {}

// CheckLogin implements platform.Driver: the token is checked (and
// refreshed when the site asks) and x/space/myinfo must name the user
// (§2.2). A logged-out session is false, not an error.
func (d *Driver) CheckLogin(ctx context.Context) (bool, error) {
	err := d.ensureLogin(ctx)
	if errors.Is(err, platform.ErrLoginRequired) {
		return false, nil
	}
	return err == nil, err
}

// ensureLogin is the check at the start of every task (§2.2): with a TV
// token, oauth2/info (and refresh_token when it says refresh); then
// myinfo with the cookies, which fails when data.name is missing.
func (d *Driver) ensureLogin(ctx context.Context) error {
	s := session(ctx)
	if cookie(s, "SESSDATA") == "" {
		return fmt.Errorf("bilibili: no session cookie: %w", platform.ErrLoginRequired)
	}
	if err := d.refreshToken(ctx, s); err != nil {
		return err
	}
	var me struct {
		Name string `json:"name"`
	}
	env, err := d.api(ctx, call{method: "GET", url: d.cfg.APIURL + "/x/space/myinfo", cookies: true, ua: cookieUA, timeout: d.cfg.Timeout}, &me)
	switch {
	case err != nil:
		return err
	case env.Code != 0:
		return refused("login check", env)
	case me.Name == "":
		return fmt.Errorf("bilibili: login check: no user name: %w", platform.ErrLoginRequired)
	}
	return nil
}

// archive is one entry of the member's archive list.
type archive struct {
	Aid   int64  `json:"aid"`
	Bvid  string `json:"bvid"`
	Title string `json:"title"`
}

// FindPublished implements platform.Driver: it looks the (cut) title up in
// the member's newest archives, published, in review and refused alike.
// The endpoint is not in the reference: it is what public clients of the
// member center call, GET x/web/archives?status=is_pubing,pubed,not_pubed
// answering data.arc_audits[].Archive (assumed).
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	title := cutTitle(req.Title)
	q := url.Values{"status": {"is_pubing,pubed,not_pubed"}, "pn": {"1"}, "ps": {"30"}}
	var data struct {
		ArcAudits []struct {
			Archive archive `json:"Archive"`
		} `json:"arc_audits"`
	}
	env, err := d.api(ctx, call{method: "GET", url: d.cfg.BaseURL + "/x/web/archives", query: q, cookies: true,
		ua: cookieUA, timeout: d.cfg.Timeout, record: true}, &data)
	if err != nil {
		return platform.PublishResult{}, false, err
	}
	if env.Code != 0 {
		return platform.PublishResult{}, false, refused("archive list", env)
	}
	for _, a := range data.ArcAudits {
		if a.Archive.Title == title {
			return platform.PublishResult{URL: videoURL(a.Archive.Bvid), Verified: true}, true, nil
		}
	}
	return platform.PublishResult{}, false, nil
}

// videoURL is the public page of a video.
func videoURL(bvid string) string { return "https://www.bilibili.com/video/" + bvid }
