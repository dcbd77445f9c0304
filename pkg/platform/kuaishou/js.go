package kuaishou

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the creator site's script library (see flow.Page): isLogin() is
// the passport login or a logged-out creator page, and clear() removes the
// onboarding tour's overlay and spotlight, as the reference uploader does
// with a script (K:470-487). What a person closes with a click (the tour's
// step, the notice) the driver clicks: see dismiss.
var page = flow.NewPage("kuaishou", flow.Script{
	IsLogin: `location.pathname.startsWith(` + browser.JS(pathLogin) + `) ||
  qa(` + browser.JS(selLoginForm) + `).some(vis) ||
  !!findText(` + browser.JS(textLoginNow) + `, true) || !!findIn(` + browser.JS(selLegacyInvalid) + `, ` + browser.JS(textLegacyInvalid) + `, true)`,
	Clear: `qa(` + browser.JS(selGuideLayers) + `).forEach(el => el.remove());`,
})

// covering is a JavaScript expression yielding the button that closes what
// lies over the form — the notice's 我知道了 (K:639-646), then the tour
// step's skip (K:447-466) — preferring one the pointer can reach (nothing
// above it), or null when nothing covers the form.
var covering = `(() => {
const tip = qa(` + browser.JS(selGuideTooltip) + `).find(vis);
const skip = tip && (q(` + browser.JS(selGuideSkip) + `, tip) ||
  qa('button', tip).find(b => vis(b) && ` + flow.JSList(guideButtonTexts) + `.includes((b.innerText || '').trim())));
const all = [findIn(` + browser.JS(selGotItButtons) + `, ` + browser.JS(textGotIt) + `, true), skip].filter(b => b && vis(b));
const reachable = b => { const r = b.getBoundingClientRect();
  const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !!at && b.contains(at); };
return all.find(reachable) || all[0] || null;
})()`

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
