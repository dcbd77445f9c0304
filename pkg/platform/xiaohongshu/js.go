package xiaohongshu

import (
	"context"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// jsLib is prepended to every script the driver evaluates. One page check is
// one script, so a poll costs one CDP round trip however much it looks at.
//
//	vis(el)                     el is rendered
//	findText(t, exact, root)    the innermost visible element whose own text
//	                            is (or contains) t, outside editable content
//	                            (a title may contain 上传失败); null when none
//	findIn(css, t, exact, root) the innermost visible element matching css
//	                            whose innerText is (or contains) t; null when none
//	isLogin()                   the tab shows the login page
var jsLib = `const vis = ` + browser.VisibleJS + `;
const findText = (t, exact, root) => {
  const w = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = w.nextNode());) {
    if (n.parentElement.isContentEditable) continue;
    const s = n.data.trim();
    if ((exact ? s === t : s.includes(t)) && vis(n.parentElement)) return n.parentElement;
  }
  return null;
};
const findIn = (css, t, exact, root) => {
  const els = Array.from((root || document).querySelectorAll(css)).filter(el => {
    if (!vis(el)) return false;
    const s = (el.innerText || '').trim();
    return exact ? s === t : s.includes(t);
  });
  const inner = els.filter(el => !els.some(o => o !== el && el.contains(o)));
  return inner[0] || null;
};
const isLogin = () => location.pathname.startsWith(` + browser.JS(pathLogin) + `) ||
  Array.from(document.querySelectorAll(` + browser.JS(selLoginBox) + `)).some(vis);
`

// evalJS evaluates expr with jsLib in scope and decodes its value.
func evalJS[T any](ctx context.Context, expr string) (T, error) {
	return browser.Eval[T](ctx, "(() => {\n"+jsLib+"return ("+expr+");\n})()")
}

// clickJS runs expr, which must yield an element or null, and clicks the
// element. Nothing found is a *platform.SelectorError naming step and what.
func clickJS(ctx context.Context, step, what, expr string) error {
	ok, err := evalJS[bool](ctx, fmt.Sprintf(`(() => { const el = %s; if (!el) return false;
el.scrollIntoView({block: 'center'}); el.click(); return true; })()`, expr))
	if err != nil {
		return fmt.Errorf("xiaohongshu: step %s: click %s: %w", step, what, err)
	}
	if !ok {
		return &platform.SelectorError{Step: step, Selector: what, Err: fmt.Errorf("no visible element")}
	}
	return nil
}

// jsList renders ss as a JavaScript array literal.
func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = browser.JS(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
