package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/web"
)

// loginTop is the login tab as its own page shows it.
type loginTop struct {
	// Done: the tab is on the platform pages with no trace of the login.
	Done bool `json:"done"`
	// Frame: the page shows the frame the code is in; Page: it shows the
	// code itself.
	Frame bool `json:"frame"`
	Page  bool `json:"page"`
}

// qrState is the code as the frame (or the page) shows it.
type qrState struct {
	// Ready: the code's image is shown and loaded.
	Ready bool `json:"ready"`
	// Key identifies the code: its image's address.
	Key     string `json:"key"`
	Scanned bool   `json:"scanned"`
	Expired bool   `json:"expired"`
	// Refresh is where to click to refresh an expired code, in the
	// frame's viewport.
	Refresh *point `json:"refresh"`
}

// qrFrame is a JavaScript expression of the page library yielding the
// visible frame the code is in, or null.
var qrFrame = fmt.Sprintf(`(%s.map(s => qa(s).find(vis)).find(Boolean) || null)`, flow.JSList(qrFrameSelectors))

// qrProbe reads the code in its own document (the frame's, or the page's
// when there is no frame). It runs without the page library.
var qrProbe = fmt.Sprintf(`(() => {
const vis = %s;
const img = %s.map(s => document.querySelector(s)).find(Boolean) || null;
const seen = (css, texts) => Array.from(document.querySelectorAll(css)).some(el => vis(el) && texts.some(t => (el.innerText || '').includes(t)));
const r = Array.from(document.querySelectorAll(%s)).find(vis);
const box = r && r.getBoundingClientRect();
return {ready: !!img && vis(img) && img.complete && img.naturalWidth > 0, key: img ? (img.currentSrc || img.src || '') : '',
  scanned: seen(%s, %s), expired: seen(%s, %s),
  refresh: box ? {x: box.left + box.width / 2, y: box.top + box.height / 2} : null};
})()`, browser.VisibleJS, flow.JSList(qrImageSelectors), browser.JS(selQRRefresh),
	browser.JS(selQRTip), flow.JSList(textsScanned), browser.JS(selQRExpired), flow.JSList(textsExpired))

// loginEvery is how often the refresh may be clicked, so a slow frame is
// not clicked twice while an ignored click is still retried.
const loginEvery = 3 * time.Second

// Login implements platform.Driver. The code is in WeChat's qrconnect
// frame of another origin (T:162-190): the driver reads its state through
// the frame (see otherFrame) and reports it as the person sees it, a
// screenshot of the frame (PhaseQRCode, again for each new code);
// PhaseScanned once per code, PhaseExpired before it clicks the frame's
// mask to refresh an expired code, and PhaseSucceeded once the tab is on
// the platform pages (watched on the page itself, T:238-259) and holds the
// session cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	timedOut := func() error {
		return fmt.Errorf("channels: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
	}
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("channels: login: %w", parent.Err())
		case ctx.Err() != nil:
			return timedOut()
		}
		return fmt.Errorf("channels: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.base+pathLogin); err != nil {
		return fail(err)
	}
	frame := &otherFrame{tab: ctx}
	defer frame.close()
	var (
		shown, scanned, expired string // the codes reported so far
		refreshedAt             time.Time
		sawCode                 bool
		cbErr, lastErr          error
		openDeadline            = time.Now().Add(d.to.Element)
	)
	report := func(c platform.Challenge) bool {
		if err := onChallenge(c); err != nil {
			cbErr = err
			return true
		}
		return false
	}
	top := fmt.Sprintf(`({done: location.href.startsWith(%s) && !isLogin() && !findText(%s, false), frame: !!%s,
  page: %s.some(s => !!document.querySelector(s))})`,
		browser.JS(d.base+pathHome), browser.JS(textLoginTitle), qrFrame, flow.JSList(qrImageSelectors))
	err := browser.Until(ctx, d.to.Login, "login.wait", sessionCookie+" after QR login", func(pctx context.Context) (bool, error) {
		t, err := evalJS[loginTop](pctx, top)
		if err != nil {
			return false, err
		}
		if t.Done {
			return browser.HasCookie(pctx, sessionCookie)
		}
		st, err := d.readCode(pctx, frame, t)
		if err == nil && !st.Ready && !st.Expired {
			err = errors.New("no code shown")
		}
		if err != nil {
			lastErr = err
			if !sawCode && time.Now().After(openDeadline) {
				cbErr = &web.SelectorError{Step: "login.qrcode", Selector: qrFrameSelectors[0] + " " + qrImageSelectors[0], Err: lastErr}
				return true, nil
			}
			return false, nil
		}
		sawCode = true
		if st.Expired {
			if expired != st.Key {
				expired = st.Key
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: textsExpired[0]}) {
					return true, nil
				}
			}
			if st.Refresh == nil || time.Since(refreshedAt) < loginEvery {
				return false, nil
			}
			refreshedAt = time.Now()
			return false, d.refreshCode(pctx, t.Frame, *st.Refresh)
		}
		if st.Key != shown {
			qr, err := d.codeImage(pctx, t.Frame)
			if err != nil {
				return false, err
			}
			shown = st.Key
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: qr}) {
				return true, nil
			}
		}
		if st.Scanned && st.Key != scanned {
			scanned = st.Key
			if report(platform.Challenge{Phase: platform.PhaseScanned, Message: "已扫码，需在手机上进行确认"}) {
				return true, nil
			}
		}
		return false, nil
	})
	if cbErr != nil {
		return fail(cbErr)
	}
	if err != nil {
		var se *web.SelectorError
		if errors.As(err, &se) && se.Step == "login.wait" {
			return timedOut()
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("channels: login: %w", err)
	}
	return nil
}

// readCode reads the code in its frame, or on the page when it shows no
// frame (the reference's last resort, T:192-204).
func (d *Driver) readCode(ctx context.Context, frame *otherFrame, t loginTop) (qrState, error) {
	switch {
	case t.Frame:
		return evalFrame[qrState](ctx, frame, qrFrame, qrProbe)
	case t.Page:
		frame.close()
		return browser.Eval[qrState](ctx, qrProbe)
	}
	return qrState{}, errNoFrame
}

// codeImage is the code as the person scans it: a screenshot of its frame,
// or of the image on the page.
func (d *Driver) codeImage(ctx context.Context, inFrame bool) (string, error) {
	if inFrame {
		return screenshotFrame(ctx, "login.qrcode", qrFrameSelectors[0], qrFrame)
	}
	return browser.ScreenshotElement(ctx, "login.qrcode", qrImageSelectors[0], page.Expr(flow.FirstOf(qrImageSelectors)))
}

// refreshCode clicks the expired code's mask at p.
func (d *Driver) refreshCode(ctx context.Context, inFrame bool, p point) error {
	if inFrame {
		return clickInFrame(ctx, "login.refresh", selQRRefresh, qrFrame, p)
	}
	return clickAt(ctx, p.X, p.Y)
}
