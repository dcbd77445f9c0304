package xiaohongshu

import (
	"context"
	"errors"
	"fmt"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// loginState is one look at the login page.
type loginState struct {
	URL      string `json:"url"`
	Ready    bool   `json:"ready"`
	Login    bool   `json:"login"`
	LoginBox bool   `json:"loginBox"`
	ScanMode bool   `json:"scanMode"`
	Expired  bool   `json:"expired"`
	Scanned  bool   `json:"scanned"`
	QR       string `json:"qr"`
}

func (d *Driver) probeLogin(ctx context.Context) (loginState, error) {
	return evalJS[loginState](ctx, fmt.Sprintf(`(() => {
const box = Array.from(document.querySelectorAll(%s)).find(vis);
// The QR image: in a div that follows the parent of the APP扫一扫登录 title.
const title = box && findText(%s, true, box);
let qr = '';
for (let s = title && title.parentElement && title.parentElement.nextElementSibling; s && !qr; s = s.nextElementSibling) {
  const img = s.matches('div') && s.querySelector('img');
  if (img && vis(img) && (img.getAttribute('src') || '').startsWith('data:image')) qr = img.getAttribute('src');
}
return {url: location.href, ready: document.readyState === 'complete', login: isLogin(), loginBox: !!box,
  scanMode: !!(box && findText(%s, false, box)),
  expired: !!(box && findText(%s, true, box)),
  scanned: !!(box && %s.some(t => findText(t, true, box))),
  qr: qr};
})()`, browser.JS(selLoginBox), browser.JS(textQRTitle), browser.JS(textScan), browser.JS(textQRExpired), jsList(textsScanned)))
}

// Login implements platform.Driver. It opens /login, switches the login box
// to the QR code (img.css-wemwzq) when it shows the SMS form, and reports
// every QR code it sees (PhaseQRCode, again after each refresh), PhaseScanned
// once per code, PhaseExpired before it clicks 点击刷新 on an expired code,
// and PhaseSucceeded when the tab left /login with the creator session
// cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("xiaohongshu: login: %w", parent.Err())
		case ctx.Err() != nil:
			return fmt.Errorf("xiaohongshu: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fmt.Errorf("xiaohongshu: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.base+pathLogin); err != nil {
		return fail(err)
	}
	var (
		shownQR     string // the QR code last reported
		scannedQR   string // the QR code reported as scanned
		expiredQR   string // the QR code reported as expired
		clickedAt   = map[string]time.Time{}
		cbErr       error
		sawBox      bool
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
		if st.LoginBox {
			sawBox = true
		} else if !sawBox && time.Now().After(openTimeout) {
			// Neither logged in nor a login box: the page changed.
			cbErr = &platform.SelectorError{Step: "login.open", Selector: selLoginBox, Err: context.DeadlineExceeded}
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
			return false, click(ctx, "login.refresh", "text="+textQRRefresh, fmt.Sprintf(`findText(%s, true)`, browser.JS(textQRRefresh)))
		case st.LoginBox && !st.ScanMode:
			// The SMS form is showing: switch to the QR code.
			return false, click(ctx, "login.switch", selLoginSwitch,
				fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).find(vis)`, browser.JS(selLoginSwitch)))
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
			return fmt.Errorf("xiaohongshu: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("xiaohongshu: login: %w", err)
	}
	return nil
}
