package kuaishou

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// loginState is one look at the passport login page.
type loginState struct {
	URL       string `json:"url"`
	Ready     bool   `json:"ready"`
	Login     bool   `json:"login"`
	LoginForm bool   `json:"loginForm"`
	Expired   bool   `json:"expired"`
	Scanned   bool   `json:"scanned"`
	QR        string `json:"qr"`
}

func (d *Driver) probeLogin(ctx context.Context) (loginState, error) {
	return evalJS[loginState](ctx, fmt.Sprintf(`(() => {
const anyVis = css => Array.from(document.querySelectorAll(css)).some(vis);
const qrEl = Array.from(document.querySelectorAll(%s)).find(el => vis(el) && (el.getAttribute('src') || '').startsWith('data:image'));
return {url: location.href, ready: document.readyState === 'complete', login: isLogin(),
  loginForm: anyVis(%s), expired: anyVis(%s), scanned: anyVis(%s),
  qr: qrEl ? qrEl.getAttribute('src') : ''};
})()`, browser.JS(selQRImage), browser.JS(selLoginForm), browser.JS(selQRExpired), browser.JS(selQRScanned)))
}

// Login implements platform.Driver. It opens the passport login, switches
// it to the QR code (div.platform-switch) when it shows the SMS form, and
// reports every QR code it sees (PhaseQRCode, again after each refresh),
// PhaseScanned once per code, PhaseExpired before it clicks 点击刷新 on an
// expired code, and PhaseSucceeded when the tab left the passport with the
// creator session cookie. It gives up with ErrLoginTimeout after
// Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("kuaishou: login: %w", parent.Err())
		case ctx.Err() != nil:
			return fmt.Errorf("kuaishou: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fmt.Errorf("kuaishou: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.loginURL()); err != nil {
		return fail(err)
	}
	var (
		shownQR     string                   // the QR code last reported
		scannedQR   string                   // the QR code reported as scanned
		expiredQR   string                   // the QR code reported as expired
		clickedAt   = map[string]time.Time{} // last click per step
		cbErr       error
		sawForm     bool
		openTimeout = time.Now().Add(d.to.Element)
	)
	report := func(c platform.Challenge) bool {
		if err := onChallenge(c); err != nil {
			cbErr = err
			return true
		}
		return false
	}
	// click clicks what expr finds, at most every 3s per step so a slow
	// page is not clicked twice (the switch toggles back).
	click := func(ctx context.Context, step, what, expr string) error {
		if time.Since(clickedAt[step]) < 3*time.Second {
			return nil
		}
		clickedAt[step] = time.Now()
		return clickJS(ctx, step, what, expr)
	}
	err := browser.Until(ctx, d.to.Login, "login.wait", sessionCookie+" after QR login", func(ctx context.Context) (bool, error) {
		st, err := d.probeLogin(ctx)
		if err != nil {
			return false, err
		}
		if !st.Login && st.Ready {
			return browser.HasCookie(ctx, sessionCookie)
		}
		if st.LoginForm {
			sawForm = true
		} else if !sawForm && time.Now().After(openTimeout) {
			// Neither logged in nor a login form: the page changed.
			cbErr = &platform.SelectorError{Step: "login.open", Selector: selLoginForm, Err: context.DeadlineExceeded}
			return true, nil
		}
		switch {
		case st.Expired:
			if expiredQR != st.QR {
				expiredQR = st.QR
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: textQRExpired}) {
					return true, nil
				}
			}
			return false, click(ctx, "login.refresh", selQRRefresh, fmt.Sprintf(`document.querySelector(%s)`, browser.JS(selQRRefresh)))
		case st.LoginForm && st.QR == "":
			// The SMS form is showing: switch to the QR code.
			return false, click(ctx, "login.switch", selPlatformSwitch,
				fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selPlatformSwitch)))
		}
		if st.QR != "" && st.QR != shownQR {
			shownQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: st.QR}) {
				return true, nil
			}
		}
		if st.Scanned && scannedQR != st.QR {
			scannedQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseScanned, Message: "扫码成功，请在快手APP中确认登录"}) {
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
			return fmt.Errorf("kuaishou: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("kuaishou: login: %w", err)
	}
	return nil
}
