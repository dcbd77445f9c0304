package xiaohongshu

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the login page as a flow.LoginState. The QR image is in
// a div that follows the parent of the APP扫一扫登录 title (X:111); a login
// box not in scan mode shows the SMS form and asks for the switch. A code
// whose src is a data URL is reported as it is; one given as an image URL
// is reported (by its URL) once it loaded, and marked, for Login to
// screenshot (X:138-142).
var loginProbe = fmt.Sprintf(`(() => {
const box = qa(%s).find(vis);
const title = box && findText(%s, true, box);
let qr = '';
for (let s = title && title.parentElement && title.parentElement.nextElementSibling; s && !qr; s = s.nextElementSibling) {
  const img = s.matches('div') && s.querySelector('img');
  const src = (img && vis(img) && img.getAttribute('src')) || '';
  if (src.startsWith('data:image')) qr = src;
  else if (src && img.complete && img.naturalWidth > 0) {
    document.querySelectorAll(%s).forEach(e => e.removeAttribute('data-fanout-qr'));
    img.setAttribute('data-fanout-qr', '1');
    qr = src;
  }
}
return {done: !isLogin() && document.readyState === 'complete', form: !!box,
  switch: !!box && !findText(%s, false, box),
  expired: !!(box && findText(%s, true, box)),
  scanned: !!(box && %s.some(t => findText(t, true, box))),
  qr: qr};
})()`, browser.JS(selLoginBox), browser.JS(textQRTitle), browser.JS(selQRMarked), browser.JS(textScan), browser.JS(textQRExpired), flow.JSList(textsScanned))

// Login implements platform.Driver with flow's QR loop. It opens /login,
// switches the login box to the QR code (img.css-wemwzq) when it shows the
// SMS form, and reports every QR code it sees (PhaseQRCode, again after each
// refresh), PhaseScanned once per code, PhaseExpired before it clicks 点击刷新
// on an expired code, and PhaseSucceeded when the tab left /login with the
// creator session cookie. A code the page shows as an image URL rather than
// a data URL is reported as a screenshot of the image, which is what a
// person scans (X:138-142). It gives up with ErrLoginTimeout after
// Timeouts.Login.
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	report := page.ShotQR(ctx, selQRMarked, onChallenge)
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.base + pathLogin,
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.open",
		MissingWhat: selLoginBox,
		Refresh: flow.Action{Step: "login.refresh", What: "text=" + textQRRefresh,
			Expr: fmt.Sprintf(`findText(%s, true)`, browser.JS(textQRRefresh))},
		Switch: flow.Action{Step: "login.switch", What: selLoginSwitch,
			Expr: fmt.Sprintf(`qa(%s).find(vis)`, browser.JS(selLoginSwitch))},
		Expired: textQRExpired,
		Scanned: "扫码成功，请在手机上确认",
	}, report)
}
