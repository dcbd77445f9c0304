package douyin

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the login page as a flow.LoginState: the QR image is the
// first of qrImageSelectors holding a data URL; the page looks logged in on
// a creator page with no trace of the login form (a 2FA page keeps the
// form's texts, so it waits).
var loginProbe = fmt.Sprintf(`(() => {
const qrEl = %s.map(s => document.querySelector(s)).find(el => el && (el.getAttribute('src') || '').startsWith('data:image'));
const form = !!findText(%s, true) || !!findText(%s, true);
const expired = !!findText(%s, true);
const qrVisible = qa(%s).some(vis);
return {done: location.href.includes(%s) && !form && !expired && !qrVisible,
  form: form || !!qrEl, expired: expired,
  scanned: %s.some(t => findText(t, false)),
  qr: qrEl ? qrEl.getAttribute('src') : ''};
})()`, flow.JSList(qrImageSelectors), browser.JS(textQRLogin), browser.JS(textPhoneLogin),
	browser.JS(textQRExpired), browser.JS(selQRRole), browser.JS(pathCreator), flow.JSList(textsScanned))

// Login implements platform.Driver with flow's QR loop. It reports every QR
// code it sees (PhaseQRCode, again after each refresh), PhaseScanned once
// per code, PhaseExpired before it clicks the expired code's parent to
// refresh it, and PhaseSucceeded when the tab is logged in and holds the
// sessionid cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.base + "/",
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.open",
		MissingWhat: textQRLogin,
		Refresh: flow.Action{Step: "login.refresh", What: textQRExpired,
			Expr: fmt.Sprintf(`(el => el && (el.parentElement || el))(findText(%s, true))`, browser.JS(textQRExpired))},
		Expired: textQRExpired,
		Scanned: "扫码成功，请在手机上确认",
	}, onChallenge)
}
