package douyin

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the creator site's script library (see flow.Page): isLogin() is
// a page off /creator or one showing the login form's texts, and clear()
// removes the overlays that swallow clicks.
var page = flow.NewPage("douyin", flow.Script{
	IsLogin: `!location.pathname.startsWith(` + browser.JS(pathCreator) + `) ||
  !!findText(` + browser.JS(textQRLogin) + `, true) || !!findText(` + browser.JS(textPhoneLogin) + `, true)`,
	Clear: `document.querySelectorAll(` + browser.JS(selOverlays) + `).forEach(el => el.remove());`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
