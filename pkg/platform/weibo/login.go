package weibo

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the passport sign-in as a flow.LoginState. The code is
// the first image the tool's selectors find (§3.9 QR login); one given as
// an image URL (the passport's is) is reported by its URL once loaded, and
// marked, for Login to screenshot, as the tool screenshots it.
var loginProbe = fmt.Sprintf(`(() => {
const img = %s.map(s => qa(s).find(vis)).find(Boolean) || null;
const src = img ? (img.getAttribute('src') || '') : '';
let qr = '';
if (src.startsWith('data:image')) qr = src;
else if (src && img.complete && img.naturalWidth > 0) {
  qa(%s).forEach(e => e.removeAttribute('data-fanout-qr'));
  img.setAttribute('data-fanout-qr', '1');
  qr = img.currentSrc || src;
}
return {done: !isLogin() && document.readyState === 'complete', form: !!img || qa(%s).some(vis),
  expired: !!findText(%s, true), scanned: !!findText(%s, true), qr: qr};
})()`, flow.JSList(qrImageSelectors), browser.JS(selQRMarked), browser.JS(selQRBox),
	browser.JS(textQRExpired), browser.JS(textQRScanned))

// Login implements platform.Driver with flow's QR loop. It opens the
// passport's QR sign-in (§3.9) and reports every code it sees (PhaseQRCode,
// again after each refresh; a screenshot of the image when it is not a
// data URL), PhaseScanned once per code, PhaseExpired before it clicks
// 点击刷新 on an expired code, and PhaseSucceeded once the tab is back on
// weibo.com with the SUB cookie. It gives up with ErrLoginTimeout after
// Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	report := page.ShotQR(ctx, selQRMarked, onChallenge)
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.loginURL(),
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.open",
		MissingWhat: qrImageSelectors[0],
		Refresh: flow.Action{Step: "login.refresh", What: "text=" + textQRRefresh,
			Expr: fmt.Sprintf(`findText(%s, true)`, browser.JS(textQRRefresh))},
		Expired: textQRExpired,
		Scanned: textScannedMsg,
	}, report)
}
