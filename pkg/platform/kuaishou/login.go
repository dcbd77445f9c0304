package kuaishou

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the passport login as a flow.LoginState: it is done once
// the loaded tab left the passport; the SMS form (a login form without a QR
// image) asks for the switch to the QR code.
var loginProbe = fmt.Sprintf(`(() => {
const anyVis = css => qa(css).some(vis);
const qrEl = qa(%s).find(el => vis(el) && (el.getAttribute('src') || '').startsWith('data:image'));
const form = anyVis(%s), qr = qrEl ? qrEl.getAttribute('src') : '';
return {done: !isLogin() && document.readyState === 'complete', form: form, switch: form && !qr,
  expired: anyVis(%s), scanned: anyVis(%s), qr: qr};
})()`, browser.JS(selQRImage), browser.JS(selLoginForm), browser.JS(selQRExpired), browser.JS(selQRScanned))

// Login implements platform.Driver with flow's QR loop. It opens the
// passport login, switches it to the QR code (div.platform-switch) when it
// shows the SMS form, and reports every QR code it sees (PhaseQRCode, again
// after each refresh), PhaseScanned once per code, PhaseExpired before it
// clicks 点击刷新 on an expired code, and PhaseSucceeded when the tab left
// the passport with the creator session cookie. It gives up with
// ErrLoginTimeout after Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.loginURL(),
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.open",
		MissingWhat: selLoginForm,
		Refresh: flow.Action{Step: "login.refresh", What: selQRRefresh,
			Expr: fmt.Sprintf(`document.querySelector(%s)`, browser.JS(selQRRefresh))},
		Switch: flow.Action{Step: "login.switch", What: selPlatformSwitch,
			Expr: fmt.Sprintf(`qa(%s).find(vis)`, browser.JS(selPlatformSwitch))},
		Expired: textQRExpired,
		Scanned: "扫码成功，请在快手APP中确认登录",
	}, onChallenge)
}
