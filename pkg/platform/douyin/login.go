package douyin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// loginState is one look at the login page.
type loginState struct {
	URL       string `json:"url"`
	LoginForm bool   `json:"loginForm"`
	Expired   bool   `json:"expired"`
	Scanned   bool   `json:"scanned"`
	QR        string `json:"qr"`
	QRVisible bool   `json:"qrVisible"`
}

func (d *Driver) probeLogin(ctx context.Context) (loginState, error) {
	return evalJS[loginState](ctx, fmt.Sprintf(`(() => {
const qrEl = %s.map(s => document.querySelector(s)).find(el => el && (el.getAttribute('src') || '').startsWith('data:image'));
const scanned = %s.some(t => findText(t, false));
return {url: location.href,
  loginForm: !!findText(%s, true) || !!findText(%s, true),
  expired: !!findText(%s, true),
  scanned: scanned,
  qr: qrEl ? qrEl.getAttribute('src') : '',
  qrVisible: Array.from(document.querySelectorAll(%s)).some(vis)};
})()`, jsList(qrImageSelectors), jsList(textsScanned), browser.JS(textQRLogin), browser.JS(textPhoneLogin),
		browser.JS(textQRExpired), browser.JS(selQRRole)))
}

// done reports whether the page looks logged in: on a creator page with no
// trace of the login form (a 2FA page keeps the form texts, so it waits).
func (s loginState) done() bool {
	return strings.Contains(s.URL, pathCreator) && !s.LoginForm && !s.Expired && !s.QRVisible
}

// Login implements platform.Driver. It reports every QR code it sees
// (PhaseQRCode, again after each refresh), PhaseScanned once per code,
// PhaseExpired before it clicks to refresh an expired code, and
// PhaseSucceeded when the tab is logged in and holds the sessionid cookie.
// It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("douyin: login: %w", parent.Err())
		case ctx.Err() != nil:
			return fmt.Errorf("douyin: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fmt.Errorf("douyin: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.base+"/"); err != nil {
		return fail(err)
	}
	var (
		shownQR     string    // the QR code last reported
		scannedQR   string    // the QR code reported as scanned
		expiredQR   string    // the QR code reported as expired
		refreshedAt time.Time // last click on the expired code
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
	err := browser.Until(ctx, d.to.Login, "login.wait", "sessionid after QR login", func(ctx context.Context) (bool, error) {
		st, err := d.probeLogin(ctx)
		if err != nil {
			return false, err
		}
		if st.done() {
			ok, err := browser.HasCookie(ctx, sessionCookie)
			return ok, err
		}
		if st.LoginForm || st.QR != "" {
			sawForm = true
		} else if !sawForm && time.Now().After(openDeadline) {
			// Neither logged in nor a login form: the page changed.
			cbErr = &platform.SelectorError{Step: "login.open", Selector: textQRLogin, Err: context.DeadlineExceeded}
			return true, nil
		}
		if st.Expired {
			if expiredQR != st.QR {
				expiredQR = st.QR
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: textQRExpired}) {
					return true, nil
				}
			}
			// Click the code's parent to refresh it; click again if the
			// page ignored the first click.
			if time.Since(refreshedAt) > 3*time.Second {
				refreshedAt = time.Now()
				return false, clickJS(ctx, "login.refresh", textQRExpired,
					fmt.Sprintf(`(el => el && (el.parentElement || el))(findText(%s, true))`, browser.JS(textQRExpired)))
			}
			return false, nil
		}
		if st.QR != "" && st.QR != shownQR {
			shownQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: st.QR}) {
				return true, nil
			}
		}
		if st.Scanned && scannedQR != st.QR {
			scannedQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseScanned, Message: "扫码成功，请在手机上确认"}) {
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
			return fmt.Errorf("douyin: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("douyin: login: %w", err)
	}
	return nil
}
