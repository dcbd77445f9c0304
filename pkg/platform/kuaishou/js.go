package kuaishou

import (
	"context"

	"fanout/pkg/browser"
	"fanout/pkg/platform/flow"
)

// page is the creator site's script library (see flow.Page): isLogin() is
// the passport login or a logged-out creator page, and clear() closes the
// onboarding tour and the notices that cover the form.
var page = flow.NewPage("kuaishou", flow.Script{
	IsLogin: `location.pathname.startsWith(` + browser.JS(pathLogin) + `) ||
  qa(` + browser.JS(selLoginForm) + `).some(vis) ||
  !!findText(` + browser.JS(textLoginNow) + `, true) || !!findIn(` + browser.JS(selLegacyInvalid) + `, ` + browser.JS(textLegacyInvalid) + `, true)`,
	Clear: `const tip = qa(` + browser.JS(selGuideTooltip) + `).find(vis);
if (tip) {
  const b = tip.querySelector(` + browser.JS(selGuideSkip) + `) ||
    Array.from(tip.querySelectorAll('button')).find(b => ` + flow.JSList(guideButtonTexts) + `.includes((b.innerText || '').trim()));
  if (b) b.click();
}
qa(` + browser.JS(selGuideLayers) + `).forEach(el => el.remove());
const ok = findIn(` + browser.JS(selGotItButtons) + `, ` + browser.JS(textGotIt) + `, true);
if (ok) ok.click();`,
})

// evalJS evaluates expr with the page library in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) { return flow.Eval[T](ctx, page, expr) }
