package browser

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// hideAutomation runs before any page script: navigator.webdriver reads
// false, as in a browser a person started. Chromium started with
// --disable-blink-features=AutomationControlled already does; this keeps it
// so if a flag stops working.
const hideAutomation = `Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false, configurable: true});`

// version is the running Chromium's version, read once per browser.
type version struct {
	once sync.Once
	v    string
	err  error
}

func (b *Browser) chromeVersion(ctx context.Context) (string, error) {
	b.ver.once.Do(func() {
		res, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
		if err != nil {
			b.ver.err = fmt.Errorf("browser: version: %w", err)
			return
		}
		// Product is "HeadlessChrome/156.0.8078.114" or "Chrome/…".
		_, v, _ := strings.Cut(res.Product, "/")
		b.ver.v = v
	})
	return b.ver.v, b.ver.err
}

// applyProfile makes the tab present itself as p: a desktop Chrome's user
// agent (no "Headless") with matching client hints, language, time zone and
// window size, and navigator.webdriver false.
func (b *Browser) applyProfile(tabCtx context.Context, p web.Profile) error {
	v, err := b.chromeVersion(tabCtx)
	if err != nil {
		return err
	}
	major, _, _ := strings.Cut(v, ".")
	platform, uaPlatform, platformVersion := "Win32", "Windows", "10.0.0"
	if p.OS == "macos" {
		platform, uaPlatform, platformVersion = "MacIntel", "macOS", "14.6.1"
	}
	brands := []*emulation.UserAgentBrandVersion{{Brand: "Chromium", Version: major}, {Brand: "Not;A=Brand", Version: "24"}}
	full := []*emulation.UserAgentBrandVersion{{Brand: "Chromium", Version: v}, {Brand: "Not;A=Brand", Version: "24.0.0.0"}}
	lang := p.Locale
	if base, _, ok := strings.Cut(lang, "-"); ok {
		lang = p.Locale + "," + base + ";q=0.9"
	}
	if _, err := chromedp.Call(tabCtx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: p.UserAgent(v), AcceptLanguage: lang, Platform: platform,
		UserAgentMetadata: &emulation.UserAgentMetadata{Brands: brands, FullVersionList: full, Platform: uaPlatform,
			PlatformVersion: platformVersion, Architecture: "x86", Bitness: "64"},
	}); err != nil {
		return fmt.Errorf("browser: user agent: %w", err)
	}
	if p.TimeZone != "" {
		if _, err := chromedp.Call(tabCtx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: p.TimeZone}); err != nil {
			return fmt.Errorf("browser: time zone: %w", err)
		}
	}
	if p.Locale != "" {
		// A window the tab opened shares its renderer's locale, which the
		// tab already set: Chromium then refuses a second override.
		if _, err := chromedp.Call(tabCtx, emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: strings.ReplaceAll(p.Locale, "-", "_")}); err != nil &&
			!strings.Contains(err.Error(), "already in effect") {
			return fmt.Errorf("browser: locale: %w", err)
		}
	}
	if p.Width > 0 && p.Height > 0 {
		if _, err := chromedp.Call(tabCtx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(p.Width), Height: int64(p.Height), DeviceScaleFactor: 1, ScreenWidth: int64(p.Width), ScreenHeight: int64(p.Height + 80),
		}); err != nil {
			return fmt.Errorf("browser: window size: %w", err)
		}
	}
	if _, err := chromedp.Call(tabCtx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hideAutomation}); err != nil {
		return fmt.Errorf("browser: init script: %w", err)
	}
	return nil
}
