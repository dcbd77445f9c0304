package browser

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// ChooseFiles picks paths in the file chooser that click opens, as a person
// does in the dialog, for pages that create their file input only when the
// upload button is clicked (there is no input to set beforehand). The
// chooser is intercepted, never shown; it must open within timeout, else a
// *web.SelectorError naming step and what.
func ChooseFiles(ctx context.Context, timeout time.Duration, step, what string, click func(ctx context.Context) error, paths ...string) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opened := chromedp.Events(wctx, page.FileChooserOpened)
	if _, err := chromedp.Call(ctx, page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: true}); err != nil {
		return fmt.Errorf("browser: step %s: intercept the file chooser: %w", step, err)
	}
	defer func() {
		_, _ = chromedp.Call(context.WithoutCancel(ctx), page.SetInterceptFileChooserDialog, page.SetInterceptFileChooserDialogParams{Enabled: false})
	}()
	if err := click(ctx); err != nil {
		return err
	}
	for ev, err := range opened {
		if err != nil {
			break
		}
		if ev.BackendNodeID == 0 {
			continue
		}
		if _, err := chromedp.Call(ctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: paths, BackendNodeID: ev.BackendNodeID}); err != nil {
			return fmt.Errorf("browser: step %s: choose %s: %w", step, what, err)
		}
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &web.SelectorError{Step: step, Selector: what, Err: errors.New("no file chooser opened")}
}

// ScreenshotElement is the part of the tab the element expr yields covers,
// as a PNG data URL: a QR code drawn in a cross-origin frame (which no
// script of ours can read) or given as a URL rather than a data URL is
// still what a person would scan.
func ScreenshotElement(ctx context.Context, step, what, expr string) (string, error) {
	x, y, w, h, err := box(ctx, step, what, expr)
	if err != nil {
		return "", err
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	res, err := chromedp.Call(sctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Clip: &page.Viewport{X: x, Y: y, Width: w, Height: h, Scale: 1}})
	if err != nil {
		return "", fmt.Errorf("browser: step %s: screenshot %s: %w", step, what, err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(res.Data), nil
}
