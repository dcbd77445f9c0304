package browser

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// SessionOptions prepares a browser context for one task.
type SessionOptions struct {
	// Cookies are loaded before the first navigation.
	Cookies []web.Cookie
	// Proxy is a proxy server URL (scheme://[user:pass@]host:port) for this
	// context only; credentials are answered to the proxy's challenge.
	Proxy string
	// Profile is how the tab presents itself (user agent, language, time
	// zone, window); the zero value is a default zh-CN desktop.
	Profile web.Profile
}

// NewSession opens a tab in a new, isolated browser context. The returned
// context is a chromedp tab context bound to ctx: cancelling ctx or calling
// the returned func closes the tab and disposes the browser context, so no
// cookie leaks to the next task.
func (b *Browser) NewSession(ctx context.Context, opt SessionOptions) (context.Context, context.CancelFunc, error) {
	var bcOpts []chromedp.CreateBrowserContextOption
	proxy, creds, err := splitProxy(opt.Proxy)
	if err != nil {
		return nil, nil, err
	}
	if proxy != "" {
		bcOpts = append(bcOpts, func(p *target.CreateBrowserContextParams) { p.ProxyServer = proxy })
	}
	tabCtx, cancelTab := chromedp.NewContext(b.browserCtx, chromedp.WithNewBrowserContext(bcOpts...))
	// Tie the tab to the caller's ctx as well as to the browser.
	stop := context.AfterFunc(ctx, cancelTab)
	cancel := func() { stop(); cancelTab() }
	if err := chromedp.Do(tabCtx); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("browser: open tab: %w", err)
	}
	if err := blockUnread(tabCtx); err != nil {
		cancel()
		return nil, nil, err
	}
	prof := opt.Profile
	if prof.OS == "" {
		prof = web.NewProfile("", false)
	}
	if err := b.applyProfile(tabCtx, prof); err != nil {
		cancel()
		return nil, nil, err
	}
	// A window the tab opens (FollowPopup) presents itself as the tab does.
	tabCtx = withFront(tabCtx, func(ctx context.Context) error { return b.applyProfile(ctx, prof) })
	if creds != nil {
		if err := answerProxyAuth(tabCtx, creds); err != nil {
			cancel()
			return nil, nil, err
		}
	}
	if len(opt.Cookies) > 0 {
		params := make([]*network.CookieParam, 0, len(opt.Cookies))
		for _, c := range opt.Cookies {
			params = append(params, toParam(c))
		}
		if _, err := chromedp.Call(tabCtx, network.SetCookies, network.SetCookiesParams{Cookies: params}); err != nil {
			cancel()
			return nil, nil, fmt.Errorf("browser: load cookies: %w", err)
		}
	}
	return tabCtx, cancel, nil
}

// Cookies returns every cookie of the tab's browser context.
func Cookies(tabCtx context.Context) ([]web.Cookie, error) {
	c := chromedp.FromContext(tabCtx)
	if c == nil {
		return nil, fmt.Errorf("browser: not a chromedp context")
	}
	res, err := chromedp.CallBrowser(tabCtx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: c.BrowserContextID})
	if err != nil {
		return nil, fmt.Errorf("browser: read cookies: %w", err)
	}
	out := make([]web.Cookie, 0, len(res.Cookies))
	for _, k := range res.Cookies {
		out = append(out, web.Cookie{
			Name: k.Name, Value: k.Value, Domain: k.Domain, Path: k.Path,
			Expires: k.Expires, HTTPOnly: k.HTTPOnly, Secure: k.Secure, SameSite: string(k.SameSite),
		})
	}
	return out, nil
}

// HasCookie reports whether the tab's browser context holds a non-empty
// cookie called name (a platform's session cookie, such as Douyin's sessionid).
func HasCookie(tabCtx context.Context, name string) (bool, error) {
	cs, err := Cookies(tabCtx)
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		if c.Name == name && c.Value != "" {
			return true, nil
		}
	}
	return false, nil
}

func toParam(c web.Cookie) *network.CookieParam {
	p := &network.CookieParam{
		Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: network.CookieSameSite(c.SameSite),
	}
	if c.Expires > 0 {
		p.Expires = cdp.TimeSinceEpoch(c.Expires)
	}
	return p
}

// unread are the requests no flow reads: web fonts. Blocking them saves each
// task their download and layout work; text still renders in the system
// font, and every selector and text the drivers read is the same.
var unread = []string{"*://*:*/*.woff2", "*://*:*/*.woff", "*://*:*/*.ttf", "*://*:*/*.otf", "*://*:*/*.eot"}

func blockUnread(tabCtx context.Context) error {
	if _, err := chromedp.Call(tabCtx, network.Enable, network.EnableParams{}); err != nil {
		return fmt.Errorf("browser: network: %w", err)
	}
	patterns := make([]*network.BlockPattern, len(unread))
	for i, u := range unread {
		patterns[i] = &network.BlockPattern{URLPattern: u, Block: true}
	}
	if _, err := chromedp.Call(tabCtx, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: patterns}); err != nil {
		return fmt.Errorf("browser: block fonts: %w", err)
	}
	return nil
}
