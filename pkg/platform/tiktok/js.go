package tiktok

import (
	"context"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// jsLib is prepended to every script the driver evaluates. It looks through
// every same-origin frame (browser.DocumentsJS), because older versions of
// the upload page sit in an iframe; one page check is still one script and
// one CDP round trip.
//
//	docs()                   the top document and same-origin frame documents
//	qa(css) / q(css)         every / the first element matching css in docs()
//	vis(el)                  el is rendered
//	findText(t, exact)       the innermost visible element whose own text is
//	                         (or contains) t; null when none
//	findIn(css, t, exact)    the innermost visible element matching css whose
//	                         innerText is (or contains) t; null when none
//	isLogin()                the tab shows the login page
var jsLib = `const vis = ` + browser.FrameVisibleJS + `;
const docs = () => ` + browser.DocumentsJS + `;
const qa = (css) => docs().flatMap(d => Array.from(d.querySelectorAll(css)));
const q = (css) => qa(css)[0] || null;
const findText = (t, exact) => {
  for (const d of docs()) {
    if (!d.body) continue;
    const w = d.createTreeWalker(d.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
      const s = n.data.trim();
      if ((exact ? s === t : s.includes(t)) && vis(n.parentElement)) return n.parentElement;
    }
  }
  return null;
};
const findIn = (css, t, exact) => {
  const els = qa(css).filter(el => {
    if (!vis(el)) return false;
    const s = (el.innerText || '').trim();
    return exact ? s === t : s.includes(t);
  });
  const inner = els.filter(el => !els.some(o => o !== el && el.contains(o)));
  return inner[0] || null;
};
const isLogin = () => location.pathname.startsWith(` + browser.JS(markLogin) + `) || !!q(` + browser.JS(selLoginForm) + `);
`

// evalJS evaluates expr with jsLib in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) {
	return browser.Eval[T](ctx, "(() => {\n"+jsLib+"return ("+expr+");\n})()")
}

// clickJS runs expr, which must yield an element or null, and clicks it.
// Nothing found is a *platform.SelectorError naming step and what.
func clickJS(ctx context.Context, step, what, expr string) error {
	ok, err := evalJS[bool](ctx, fmt.Sprintf(`(() => { const el = %s; if (!el) return false;
el.scrollIntoView({block: 'center'}); el.click(); return true; })()`, expr))
	if err != nil {
		return fmt.Errorf("tiktok: step %s: click %s: %w", step, what, err)
	}
	if !ok {
		return &platform.SelectorError{Step: step, Selector: what, Err: fmt.Errorf("no visible element")}
	}
	return nil
}

// libExpr wraps expr so that it can be handed to the browser helpers that
// take an element expression (SetFilesJS, FocusJS) with jsLib in scope.
func libExpr(expr string) string {
	return "(() => {\n" + jsLib + "return (" + expr + ");\n})()"
}

// jsList renders ss as a JavaScript array literal.
func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = browser.JS(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// firstOf is a JavaScript expression yielding the first element any of sels
// matches, tried in order.
func firstOf(sels []string) string {
	return fmt.Sprintf(`%s.map(s => q(s)).find(Boolean) || null`, jsList(sels))
}
