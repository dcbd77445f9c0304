package xiaohongshu

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the creator site's script library (see flow.Page): isLogin() is
// /login or a visible login box.
var page = flow.NewPage("xiaohongshu", flow.Script{
	IsLogin: `location.pathname.startsWith(` + browser.JS(pathLogin) + `) || qa(` + browser.JS(selLoginBox) + `).some(vis)`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
