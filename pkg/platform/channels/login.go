package channels

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// loginState is one look at the login page and its frames.
type loginState struct {
	URL       string `json:"url"`
	LoginPage bool   `json:"loginPage"`
	Expired   bool   `json:"expired"`
	Scanned   bool   `json:"scanned"`
	// Src identifies the code shown; QR is it as a data URL ("" while the
	// image is still loading).
	Src string `json:"src"`
	QR  string `json:"qr"`
}

// probeLogin looks for the QR image in every same-origin frame. The site
// serves the image either as a data URL or from a relative URL of the frame
// (/connect/qrcode/<id>); the latter is drawn on a canvas of the frame's own
// document to turn it into a data URL, which works because it is
// same-origin with the frame.
func (d *Driver) probeLogin(ctx context.Context) (loginState, error) {
	return evalJS[loginState](ctx, fmt.Sprintf(`(() => {
const img = %s;
let src = '', qr = '';
if (img && vis(img)) {
  src = img.currentSrc || img.src || '';
  if (src.startsWith('data:image')) qr = src;
  else if (src && img.complete && img.naturalWidth > 0) {
    try {
      const c = img.ownerDocument.createElement('canvas');
      c.width = img.naturalWidth; c.height = img.naturalHeight;
      c.getContext('2d').drawImage(img, 0, 0);
      qr = c.toDataURL('image/png');
    } catch (e) { qr = ''; }
  }
}
return {url: location.href,
  loginPage: isLogin() || !!findText(%s, false),
  expired: %s.some(t => !!findIn(%s, t, false)),
  scanned: %s.some(t => !!findIn(%s, t, false)),
  src: src, qr: qr};
})()`, firstOf(qrImageSelectors), browser.JS(textLoginTitle),
		jsList(textsExpired), browser.JS(selQRExpired),
		jsList(textsScanned), browser.JS(selQRTip)))
}

// done reports whether the page looks logged in: under /platform with no
// trace of the login page.
func (s loginState) done(base string) bool {
	return strings.HasPrefix(s.URL, base+pathHome) && !s.LoginPage
}

// Login implements platform.Driver. It reports every QR code it sees
// (PhaseQRCode, again after each refresh), PhaseScanned once per code,
// PhaseExpired before it clicks to refresh an expired code, and
// PhaseSucceeded when the tab is on the platform pages and holds the
// session cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("channels: login: %w", parent.Err())
		case ctx.Err() != nil:
			return fmt.Errorf("channels: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fmt.Errorf("channels: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.base+pathLogin); err != nil {
		return fail(err)
	}
	var (
		shownQR     string // the code (src) last reported
		scannedQR   string
		expiredQR   string
		refreshedAt time.Time
		cbErr       error
		sawForm     bool
	)
	report := func(c platform.Challenge) bool {
		if err := onChallenge(c); err != nil {
			cbErr = err
			return true
		}
		return false
	}
	openDeadline := time.Now().Add(d.to.Element)
	err := browser.Until(ctx, d.to.Login, "login.wait", "session cookie after QR login", func(ctx context.Context) (bool, error) {
		st, err := d.probeLogin(ctx)
		if err != nil {
			return false, err
		}
		if st.done(d.base) {
			return browser.HasCookie(ctx, sessionCookie)
		}
		if st.QR != "" {
			sawForm = true
		} else if !sawForm && time.Now().After(openDeadline) {
			// No QR code where the login page should show one: the page
			// changed.
			cbErr = &platform.SelectorError{Step: "login.qrcode", Selector: qrImageSelectors[0], Err: context.DeadlineExceeded}
			return true, nil
		}
		if st.Expired {
			if expiredQR != st.Src {
				expiredQR = st.Src
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: textsExpired[0]}) {
					return true, nil
				}
			}
			// Click the mask to refresh; again if the page ignored it.
			if time.Since(refreshedAt) > 3*time.Second {
				refreshedAt = time.Now()
				return false, clickJS(ctx, "login.refresh", selQRRefresh, fmt.Sprintf(`q(%s)`, browser.JS(selQRRefresh)))
			}
			return false, nil
		}
		if st.QR != "" && st.Src != shownQR {
			shownQR = st.Src
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: st.QR}) {
				return true, nil
			}
		}
		if st.Scanned && scannedQR != st.Src {
			scannedQR = st.Src
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
		var se *platform.SelectorError
		if errors.As(err, &se) && se.Step == "login.wait" {
			return fmt.Errorf("channels: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("channels: login: %w", err)
	}
	return nil
}
