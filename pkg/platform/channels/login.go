package channels

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the login page and its frames as a flow.LoginState; the
// code is identified by its src. The site serves the QR image either as a
// data URL or from a relative URL of the frame (/connect/qrcode/<id>); the
// latter is drawn on a canvas of the frame's own document to turn it into a
// data URL, which works because it is same-origin with the frame. The tab
// is logged in under home (the platform pages) with no trace of the login
// page.
func loginProbe(home string) string {
	return fmt.Sprintf(`(() => {
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
const loginPage = isLogin() || !!findText(%s, false);
return {done: location.href.startsWith(%s) && !loginPage, form: !!qr,
  expired: %s.some(t => !!findIn(%s, t, false)),
  scanned: %s.some(t => !!findIn(%s, t, false)),
  key: src, qr: qr};
})()`, flow.FirstOf(qrImageSelectors), browser.JS(textLoginTitle), browser.JS(home),
		flow.JSList(textsExpired), browser.JS(selQRExpired),
		flow.JSList(textsScanned), browser.JS(selQRTip))
}

// Login implements platform.Driver with flow's QR loop. It reports every QR
// code it sees (PhaseQRCode, again after each refresh), PhaseScanned once
// per code, PhaseExpired before it clicks the mask to refresh an expired
// code, and PhaseSucceeded when the tab is on the platform pages and holds
// the session cookie. It gives up with ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.base + pathLogin,
		Probe:       loginProbe(d.base + pathHome),
		Cookie:      sessionCookie,
		MissingStep: "login.qrcode",
		MissingWhat: qrImageSelectors[0],
		Refresh: flow.Action{Step: "login.refresh", What: selQRRefresh,
			Expr: fmt.Sprintf(`q(%s)`, browser.JS(selQRRefresh))},
		Expired: textsExpired[0],
		Scanned: "已扫码，需在手机上进行确认",
	}, onChallenge)
}
