package youtube

import (
	"context"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the site's script library (see flow.Page); isLogin() is Google's
// sign-in page (§3.8 cookie check: the URL contains accounts.google.com or
// /signin).
var page = flow.NewPage("youtube", flow.Script{
	IsLogin: `location.href.includes(` + browser.JS(markGoogle) + `) || location.href.toLowerCase().includes(` + browser.JS(markSignin) + `)`,
})

// collapse folds a title's white space to single spaces, as a one-line
// title box keeps it.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
