package tiktok

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
	Path     string `json:"path"`
	Login    bool   `json:"login"`
	QROption bool   `json:"qrOption"`
	Expired  bool   `json:"expired"`
	Scanned  bool   `json:"scanned"`
	QR       string `json:"qr"`
}

// probeLogin reads the QR code as a data URL from the canvas the page draws
// it on (or its img).
func (d *Driver) probeLogin(ctx context.Context) (loginState, error) {
	return evalJS[loginState](ctx, fmt.Sprintf(`(() => {
const box = qa(%s).find(vis);
let qr = '';
if (box) {
  const c = box.querySelector('canvas'), img = box.querySelector('img');
  try {
    if (c && c.width > 0) {
      // A canvas the page has not drawn yet is blank, not a code.
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let drawn = false;
      for (let i = 3; i < px.length; i += 4) if (px[i]) { drawn = true; break; }
      if (drawn) qr = c.toDataURL('image/png');
    }
    else if (img && (img.getAttribute('src') || '').startsWith('data:image')) qr = img.getAttribute('src');
  } catch (e) { qr = ''; }
}
return {path: location.pathname, login: isLogin(),
  qrOption: !!findIn(%s, %s, false),
  expired: !!findText(%s, false),
  scanned: %s.some(t => !!findText(t, false)),
  qr: qr};
})()`, browser.JS(selQRCode), browser.JS(selLoginOption), browser.JS(textUseQR), browser.JS(textQRExpired), jsList(textsScanned)))
}

// Login implements platform.Driver with the login page's "Use QR code"
// option. It reports every QR code it sees (PhaseQRCode, again after each
// refresh), PhaseScanned once per code, PhaseExpired before it clicks
// Refresh, and PhaseSucceeded when the tab left the login page and holds
// the session cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
// TikTok often adds a captcha or a second factor to a login, which this
// cannot answer; import cookies then (see the package comment).
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, d.to.Login)
	defer cancel()
	fail := func(err error) error {
		switch {
		case parent.Err() != nil:
			return fmt.Errorf("tiktok: login: %w", parent.Err())
		case ctx.Err() != nil:
			return fmt.Errorf("tiktok: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fmt.Errorf("tiktok: login: %w", err)
	}
	if err := browser.Navigate(ctx, d.to.Page, "login.open", d.base+pathLogin+langQuery); err != nil {
		return fail(err)
	}
	var (
		shownQR     string
		scannedQR   string
		expiredQR   string
		refreshedAt time.Time
		clickedQR   time.Time
		cbErr       error
		sawQR       bool
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
		if !st.Login && st.Path != "" {
			return browser.HasCookie(ctx, sessionCookie)
		}
		if st.QR != "" {
			sawQR = true
		} else if st.QROption {
			// The login page lists its methods first.
			if time.Since(clickedQR) > 3*time.Second {
				clickedQR = time.Now()
				return false, clickJS(ctx, "login.qr_option", selLoginOption+`:has-text("`+textUseQR+`")`,
					fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selLoginOption), browser.JS(textUseQR)))
			}
			return false, nil
		} else if !sawQR && time.Now().After(openDeadline) {
			cbErr = &platform.SelectorError{Step: "login.qrcode", Selector: selQRCode + " canvas", Err: context.DeadlineExceeded}
			return true, nil
		}
		if st.Expired {
			if expiredQR != st.QR {
				expiredQR = st.QR
				if report(platform.Challenge{Phase: platform.PhaseExpired, Message: textQRExpired}) {
					return true, nil
				}
			}
			if time.Since(refreshedAt) > 3*time.Second {
				refreshedAt = time.Now()
				return false, clickJS(ctx, "login.refresh", `button:has-text("`+textRefresh+`")`,
					fmt.Sprintf(`findIn('button', %s, true)`, browser.JS(textRefresh)))
			}
			return false, nil
		}
		if st.QR != "" && st.QR != shownQR {
			shownQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseQRCode, QRCode: st.QR}) {
				return true, nil
			}
		}
		if st.Scanned && st.QR != "" && scannedQR != st.QR {
			scannedQR = st.QR
			if report(platform.Challenge{Phase: platform.PhaseScanned, Message: "Scanned: confirm on the phone"}) {
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
			return fmt.Errorf("tiktok: login: no scan within %s: %w", d.to.Login, platform.ErrLoginTimeout)
		}
		return fail(err)
	}
	if err := onChallenge(platform.Challenge{Phase: platform.PhaseSucceeded}); err != nil {
		return fmt.Errorf("tiktok: login: %w", err)
	}
	return nil
}
