package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// PollInterval is how often the waits below re-check their condition. It is
// short because a check is one CDP round trip on a local browser (about 1 ms).
const PollInterval = 100 * time.Millisecond

// Until polls cond until it reports true, ctx ends, or timeout passes. A cond
// error during a navigation is treated as "not yet", because the page's
// execution context is briefly gone. On timeout it returns a
// *web.SelectorError naming step and what; when ctx ended first it
// returns ctx.Err() so cancellation is never mistaken for a page change.
func Until(ctx context.Context, timeout time.Duration, step, what string, cond func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(timeout)
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	var lastErr error
	for {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ok, err := cond(cctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil && ok {
			return nil
		}
		if err != nil {
			lastErr = err
		}
		if time.Now().After(deadline) {
			cause := context.DeadlineExceeded
			if lastErr != nil {
				cause = fmt.Errorf("%w (last error: %v)", context.DeadlineExceeded, lastErr)
			}
			return &web.SelectorError{Step: step, Selector: what, Err: cause}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// WaitJS waits until the JavaScript condition cond (an expression) is true,
// for at most timeout. It is event-driven: the check runs in the page on
// every DOM change (a MutationObserver over the document, which also sees
// text and attribute changes) and on a 250 ms tick for what no mutation
// shows (same-origin frames, the URL, timers), so a condition is seen the
// moment it holds with one round trip per slice instead of one per poll.
// A navigation ends a slice early and the wait goes on in the new page. On
// timeout it returns a *web.SelectorError naming step and what.
func WaitJS(ctx context.Context, timeout time.Duration, step, what, cond string) error {
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		slice := min(waitSlice, time.Until(deadline))
		if slice <= 0 {
			cause := context.DeadlineExceeded
			if lastErr != nil {
				cause = fmt.Errorf("%w (last error: %v)", context.DeadlineExceeded, lastErr)
			}
			return &web.SelectorError{Step: step, Selector: what, Err: cause}
		}
		script := fmt.Sprintf(`new Promise(resolve => {
  const check = () => { try { return !!(%s); } catch (e) { return false; } };
  if (check()) { resolve(true); return; }
  let done = false;
  const finish = v => { if (done) return; done = true; mo.disconnect(); clearInterval(tick); clearTimeout(end); resolve(v); };
  const mo = new MutationObserver(() => { if (check()) finish(true); });
  mo.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  const tick = setInterval(() => { if (check()) finish(true); }, 250);
  const end = setTimeout(() => finish(false), %d);
})`, cond, slice.Milliseconds())
		cctx, cancel := context.WithTimeout(ctx, slice+3*time.Second)
		ok, err := chromedp.Run(cctx, chromedp.Evaluate[bool](script, chromedp.EvalAwaitPromise))
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil && ok:
			return nil
		case err != nil:
			// A navigation destroyed the page the promise lived in: look
			// again in the new one, after a moment for it to exist.
			lastErr = err
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(PollInterval):
			}
		}
	}
}

// waitSlice is how long one WaitJS round trip waits in the page.
const waitSlice = 2 * time.Second

// Eval evaluates a JavaScript expression in the tab and decodes its value.
func Eval[T any](ctx context.Context, expr string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// JS quotes s as a JavaScript string literal.
func JS(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Exists reports whether a CSS selector matches at least one element.
func Exists(ctx context.Context, css string) (bool, error) {
	return Eval[bool](ctx, fmt.Sprintf(`document.querySelector(%s) !== null`, JS(css)))
}

// VisibleJS is a JavaScript function body that reports whether element el is
// rendered (has a box and is not hidden by style).
const VisibleJS = `function(el){ if(!el) return false; const s=getComputedStyle(el); if(s.visibility==='hidden'||s.display==='none') return false; const r=el.getBoundingClientRect(); return r.width>0||r.height>0; }`

// Visible reports whether some element matching css is visible.
func Visible(ctx context.Context, css string) (bool, error) {
	return Eval[bool](ctx, fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).some(%s)`, JS(css), VisibleJS))
}

// HasText reports whether some visible element matching css (or the body,
// when css is empty) contains text.
func HasText(ctx context.Context, css, text string) (bool, error) {
	if css == "" {
		css = "body"
	}
	return Eval[bool](ctx, fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).some(el => (%s)(el) && (el.innerText||'').includes(%s))`, JS(css), VisibleJS, JS(text)))
}

// WaitVisible waits up to timeout for an element matching css to be visible.
func WaitVisible(ctx context.Context, timeout time.Duration, step, css string) error {
	return Until(ctx, timeout, step, css, func(ctx context.Context) (bool, error) { return Visible(ctx, css) })
}

// WaitExists waits up to timeout for an element matching css to be in the DOM
// (visible or not, as for hidden file inputs).
func WaitExists(ctx context.Context, timeout time.Duration, step, css string) error {
	return Until(ctx, timeout, step, css, func(ctx context.Context) (bool, error) { return Exists(ctx, css) })
}

// WaitText waits up to timeout for text to be visible inside css (or the body).
func WaitText(ctx context.Context, timeout time.Duration, step, css, text string) error {
	return Until(ctx, timeout, step, fmt.Sprintf("%s:has-text(%q)", css, text), func(ctx context.Context) (bool, error) { return HasText(ctx, css, text) })
}

// Location returns the tab's current URL.
func Location(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Location())
}

// WaitURL waits up to timeout for the tab's URL to contain substr.
func WaitURL(ctx context.Context, timeout time.Duration, step, substr string) error {
	return Until(ctx, timeout, step, "url~"+substr, func(ctx context.Context) (bool, error) {
		u, err := Location(ctx)
		return strings.Contains(u, substr), err
	})
}

// Navigate loads url and waits (bounded) for the document to be interactive.
func Navigate(ctx context.Context, timeout time.Duration, step, url string) error {
	nctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(url)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("browser: step %s: navigate %s: %w", step, url, err)
	}
	return nil
}

// Click clicks the first element matching css with a DOM click (no mouse
// movement needed, works on elements under overlays). It fails at once when
// nothing matches; wait first.
func Click(ctx context.Context, step, css string) error {
	ok, err := Eval[bool](ctx, fmt.Sprintf(`(()=>{const el=document.querySelector(%s); if(!el) return false; el.scrollIntoView({block:'center'}); el.click(); return true;})()`, JS(css)))
	if err != nil {
		return fmt.Errorf("browser: step %s: click %s: %w", step, css, err)
	}
	if !ok {
		return &web.SelectorError{Step: step, Selector: css, Err: errors.New("no element")}
	}
	return nil
}

// ClickText clicks the innermost visible element matching css whose text
// contains text (Playwright's `css:has-text("text")`).
func ClickText(ctx context.Context, step, css, text string) error {
	ok, err := Eval[bool](ctx, fmt.Sprintf(`(()=>{const vis=%s; const els=Array.from(document.querySelectorAll(%s)).filter(el=>vis(el)&&(el.innerText||'').includes(%s)); if(!els.length) return false; const el=els[els.length-1]; el.scrollIntoView({block:'center'}); el.click(); return true;})()`, VisibleJS, JS(css), JS(text)))
	if err != nil {
		return fmt.Errorf("browser: step %s: click %q: %w", step, text, err)
	}
	if !ok {
		return &web.SelectorError{Step: step, Selector: fmt.Sprintf("%s:has-text(%q)", css, text), Err: errors.New("no element")}
	}
	return nil
}

// SetFiles sets the files of the first file input matching css (hidden inputs
// work: the browser reads the files from disk itself, so size does not matter).
func SetFiles(ctx context.Context, timeout time.Duration, step, css string, paths ...string) error {
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := chromedp.Do(sctx, chromedp.SetUploadFiles(chromedp.CSS(css), paths, chromedp.NodeReady)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &web.SelectorError{Step: step, Selector: css, Err: err}
	}
	return nil
}

// Artifacts captures what the tab shows now, for a failed task: a PNG
// screenshot and the page's HTML. It uses its own short deadline so it works
// after the task's ctx was cancelled, as long as the tab is still open.
func Artifacts(tabCtx context.Context) (png []byte, html string, err error) {
	// Bounded short: a capture must not hold the account (and the next
	// task) while a page is slow or navigating. A window the task followed
	// (FollowPopup) is what it was working in.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(Front(tabCtx)), 2*time.Second)
	defer cancel()
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, "", fmt.Errorf("browser: screenshot: %w", err)
	}
	html, err = Eval[string](ctx, `document.documentElement.outerHTML`)
	if err != nil {
		return png, "", fmt.Errorf("browser: html: %w", err)
	}
	return png, html, nil
}

// Screenshot is what the tab (its front page: Front) shows now as a PNG
// data URL (for a person asked to act on it), taken within two seconds.
func Screenshot(tabCtx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(Front(tabCtx), 2*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return "", fmt.Errorf("browser: screenshot: %w", err)
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
