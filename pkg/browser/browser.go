// Package browser owns the one headless Chromium a worker runs and hands out
// isolated browser contexts (one per task, with that account's cookies and
// proxy) as chromedp tab contexts. It also holds the bounded, condition-based
// waits every platform driver uses, so no driver ever sleeps for a fixed time.
package browser

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"

	"github.com/chromedp/cdproto/memory"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Config says which Chromium to start and how.
type Config struct {
	// ExecPath is the Chromium binary; empty means CHROME_PATH, then the
	// first of chromium, chromium-browser, google-chrome on PATH.
	ExecPath string
	// UserDataDir is the profile directory; empty means a fresh temporary one
	// that is removed on Close.
	UserDataDir string
	// Headed shows a window (for debugging on a desktop).
	Headed bool
}

// Browser is one running Chromium. It is safe for concurrent use: every
// NewSession gets its own browser context (cookie jar, cache, proxy).
type Browser struct {
	log         *slog.Logger
	allocCancel context.CancelFunc
	browserCtx  context.Context
	cancel      context.CancelFunc
	tmpDir      string
	ver         version
}

// disabledFeatures replaces chromedp's default list (whose two entries it
// keeps). Chromium 15x preloads its omnibox popup, a WebUI page with a
// renderer process of its own, in every window, headless included: one
// extra renderer (~50 MB and its start-up CPU) per browser context, so
// per task. No task ever opens the omnibox. The spare renderer Chromium
// keeps warm for the next navigation is one more idle process, and tasks
// measured no slower without it. Measured with deploy/perf: peak PSS at 4
// concurrent publishes 830 → 620 MB, renderers 11 → 5.
const disabledFeatures = "Translate,BlinkGenPropertyTrees," +
	"WebUIOmniboxPopup,WebUIOmniboxAimPopup,SpareRendererForSitePerProcess"

// Start launches Chromium and waits until it answers.
func Start(ctx context.Context, cfg Config, log *slog.Logger) (*Browser, error) {
	path, err := FindChrome(cfg.ExecPath)
	if err != nil {
		return nil, err
	}
	b := &Browser{log: log}
	dir := cfg.UserDataDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "fanout-chrome-"); err != nil {
			return nil, fmt.Errorf("browser: profile dir: %w", err)
		}
		b.tmpDir = dir
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("headless", !cfg.Headed),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-blink-features", "AutomationControlled"),
		chromedp.Flag("disable-features", disabledFeatures),
	)
	// The browser must outlive the ctx that started it (a request or a
	// startup timeout), so it hangs off a background context and Close ends it.
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	browserCtx, cancel := chromedp.NewContext(allocCtx)
	b.allocCancel, b.browserCtx, b.cancel = allocCancel, browserCtx, cancel
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browserCtx) }()
	select {
	case err = <-started:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: start %s: %w", path, err)
	}
	b.closeStartTab()
	return b, nil
}

// closeStartTab closes the tab Chromium starts with, which chromedp's first
// context attaches to. No task uses it (sessions are tabs of their own
// browser contexts, opened through the browser, not through this tab), and
// its renderer would otherwise live as long as the browser: about 17 MB at
// every moment. Chromium keeps running with no tab open. Failing to close
// it costs only that memory.
func (b *Browser) closeStartTab() {
	c := chromedp.FromContext(b.browserCtx)
	if c == nil || c.Target == nil {
		return
	}
	if _, err := chromedp.CallBrowser(b.browserCtx, target.CloseTarget, target.CloseTargetParams{TargetID: c.Target.TargetID}); err != nil {
		b.log.Debug("browser: close the start-up tab", "err", err)
	}
}

// Relieve asks Chromium to give back the memory it can (a critical
// memory-pressure notification, which every process of the browser
// answers: caches dropped, garbage collected). The worker calls it when it
// keeps an account's tab for the next task, whose renderer otherwise holds
// what the last task's pages left: measured with deploy/perf, 40–60 MB less
// peak PSS at 4 concurrent publishes.
func Relieve(tabCtx context.Context) error {
	_, err := chromedp.Call(tabCtx, memory.SimulatePressureNotification,
		memory.SimulatePressureNotificationParams{Level: memory.PressureLevelCritical})
	if err != nil {
		return fmt.Errorf("browser: relieve memory: %w", err)
	}
	return nil
}

// FindChrome resolves the Chromium binary to run.
func FindChrome(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("browser: no Chromium found (install the chromium package or set CHROME_PATH)")
}

// Close ends the browser and removes a temporary profile.
func (b *Browser) Close() {
	if b.cancel != nil {
		b.cancel()
	}
	if b.allocCancel != nil {
		b.allocCancel()
	}
	if b.tmpDir != "" {
		_ = os.RemoveAll(b.tmpDir)
	}
}

// Alive reports whether the browser process is still running.
func (b *Browser) Alive() bool { return b.browserCtx.Err() == nil }
