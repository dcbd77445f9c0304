package tiktok

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the site's script library (see flow.Page). It looks through every
// same-origin frame, because older versions of the upload page sit in an
// iframe; isLogin() is the login page or its form.
var page = flow.NewPage("tiktok", flow.Script{
	Frames:  true,
	IsLogin: `location.pathname.startsWith(` + browser.JS(markLogin) + `) || !!q(` + browser.JS(selLoginForm) + `)`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
