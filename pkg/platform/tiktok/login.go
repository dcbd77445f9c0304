package tiktok

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// loginProbe reads the login page as a flow.LoginState. The QR code is read
// as a data URL from the canvas the page draws it on (or its img); the page
// lists its login methods first, which asks for the switch to "Use QR code".
var loginProbe = fmt.Sprintf(`(() => {
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
return {done: !isLogin() && location.pathname !== '', form: !!qr,
  switch: !qr && !!findIn(%s, %s, false),
  expired: !!findText(%s, false),
  scanned: %s.some(t => !!findText(t, false)),
  qr: qr};
})()`, browser.JS(selQRCode), browser.JS(selLoginOption), browser.JS(textUseQR), browser.JS(textQRExpired), flow.JSList(textsScanned))

// Login implements platform.Driver with the login page's "Use QR code"
// option and flow's QR loop. It reports every QR code it sees (PhaseQRCode,
// again after each refresh), PhaseScanned once per code, PhaseExpired
// before it clicks Refresh, and PhaseSucceeded when the tab left the login
// page and holds the session cookie. It gives up with ErrLoginTimeout after
// Timeouts.Login. TikTok often adds a captcha or a second factor to a
// login, which this cannot answer; import cookies then (see the package
// comment).
func (d *Driver) Login(ctx context.Context, onChallenge func(platform.Challenge) error) error {
	return page.Login(ctx, d.to, flow.QRLogin{
		URL:         d.base + pathLogin + langQuery,
		Probe:       loginProbe,
		Cookie:      sessionCookie,
		MissingStep: "login.qrcode",
		MissingWhat: selQRCode + " canvas",
		Refresh: flow.Action{Step: "login.refresh", What: `button:has-text("` + textRefresh + `")`,
			Expr: fmt.Sprintf(`findIn('button', %s, true)`, browser.JS(textRefresh))},
		Switch: flow.Action{Step: "login.qr_option", What: selLoginOption + `:has-text("` + textUseQR + `")`,
			Expr: fmt.Sprintf(`findIn(%s, %s, false)`, browser.JS(selLoginOption), browser.JS(textUseQR))},
		Expired: textQRExpired,
		Scanned: "Scanned: confirm on the phone",
	}, onChallenge)
}
