package channels

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the site's script library (see flow.Page). It looks through every
// same-origin frame, because the publish form sits in one; isLogin() is
// login.html or a login marker, and clear() removes the overlays that
// swallow clicks.
var page = flow.NewPage("channels", flow.Script{
	Frames:  true,
	IsLogin: `location.pathname.includes(` + browser.JS(markLogin) + `) || !!q(` + browser.JS(selLoginMarkers) + `)`,
	Clear:   `qa(` + browser.JS(selOverlays) + `).forEach(el => el.remove());`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
