package baijiahao

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the login page as a flow.LoginState (§3.7 QR login).
// The page shows 登录 until it is clicked (the switch to the QR code); the
// QR image, given by URL, is reported by its URL once it loaded, and marked
// for Login to screenshot. It is done once the loaded tab left the login
// page.
var loginProbe = fmt.Sprintf(`(() => {
const img = qa(%s).find(el => vis(el) && el.complete && el.naturalWidth > 0);
qa(%s).forEach(e => { if (e !== img) e.removeAttribute('data-fanout-qr'); });
if (img) img.setAttribute('data-fanout-qr', '1');
const button = findText(%s, true);
return {done: !isLogin() && document.readyState === 'complete', form: !!img || !!button,
  switch: !img && !!button && document.readyState !== 'loading',
  expired: !!findText(%s, false), scanned: !!findText(%s, false),
  qr: img ? img.getAttribute('src') : ''};
})()`, browser.JS(selQRImage), browser.JS(selQRMarked), browser.JS(textLogin), browser.JS(textQRExpired), browser.JS(textQRScanned))

// Login implements platform.Driver with flow's QR loop: it opens the login
// page, clicks 登录 (exact) to open the passport's box, and reports every
// QR code it shows (a screenshot of the image, which is what a person
// scans), PhaseScanned once per code, PhaseExpired before it clicks 点击刷新
// on an expired code, and PhaseSucceeded once the tab left the login page
// holding the BDUSS cookie. It gives up with ErrLoginTimeout after
// Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	report := page.ShotQR(ctx, selQRMarked, onChallenge)
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.base + pathLogin,
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.open",
		MissingWhat: "text=" + textLogin,
		Refresh: flow.Action{Step: "login.refresh", What: "text=" + textQRRefresh,
			Expr: fmt.Sprintf(`findText(%s, true)`, browser.JS(textQRRefresh))},
		Switch: flow.Action{Step: "login.switch", What: "text=" + textLogin,
			Expr: fmt.Sprintf(`findText(%s, true)`, browser.JS(textLogin))},
		Expired: textQRExpired,
		Scanned: "扫描成功，请在手机端确认登录",
	}, report)
}
