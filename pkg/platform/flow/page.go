package flow

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// Script is what a site adds to the JavaScript library its page checks run
// with.
type Script struct {
	// Frames makes the library look through every same-origin frame
	// (browser.DocumentsJS), for sites that put their login code or their
	// form in iframes.
	Frames bool
	// IsLogin is a JavaScript expression, true when the tab shows the
	// login page; it becomes isLogin().
	IsLogin string
	// Clear is JavaScript statements that close or remove what covers the
	// page (tours, notices, overlays); they become clear(), which Click
	// runs before each click. Empty means nothing to clear.
	Clear string
}

// Page is a creator site's pages as a driver scripts them: the platform name
// that prefixes every error, and the JavaScript library every page check
// runs with. One page check is one script, so a poll costs one CDP round
// trip however much it looks at. The library defines:
//
//	vis(el)                     el is rendered
//	docs()                      the documents searched: the top one, and with
//	                            Script.Frames every same-origin frame's
//	qa(css, root) / q(css, root) every / the first element matching css under
//	                            root, or in docs() without one
//	findText(t, exact, root)    the innermost visible element whose own text
//	                            is (or contains) t, outside editable content
//	                            (a title may contain 上传失败); null when none
//	findIn(css, t, exact, root) the innermost visible element matching css
//	                            whose innerText is (or contains) t; null when none
//	fresh(el)                   el unless an earlier look reported it (it is
//	                            marked data-fanout-seen), so that a failure
//	                            that stays on screen is acted on once
//	isLogin()                   Script.IsLogin
//	clear()                     Script.Clear
//
// A Page is immutable and safe for concurrent use.
type Page struct {
	name   string
	lib    string
	frames bool
}

// NewPage returns the page library of the platform named name.
func NewPage(name string, s Script) *Page {
	vis, docs := browser.VisibleJS, `[document]`
	if s.Frames {
		vis, docs = browser.FrameVisibleJS, browser.DocumentsJS
	}
	isLogin := s.IsLogin
	if isLogin == "" {
		isLogin = "false"
	}
	lib := `const vis = ` + vis + `;
const docs = () => ` + docs + `;
const qa = (css, root) => root ? Array.from(root.querySelectorAll(css)) : docs().flatMap(d => Array.from(d.querySelectorAll(css)));
const q = (css, root) => qa(css, root)[0] || null;
const findText = (t, exact, root) => {
  for (const r of root ? [root] : docs().map(d => d.body)) {
    if (!r) continue;
    const w = (r.ownerDocument || document).createTreeWalker(r, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) {
      // Editable content holds the user's text, never the page's own.
      if (!n.parentElement || n.parentElement.isContentEditable) continue;
      const s = n.data.trim();
      if ((exact ? s === t : s.includes(t)) && vis(n.parentElement)) return n.parentElement;
    }
  }
  return null;
};
const findIn = (css, t, exact, root) => {
  const els = qa(css, root).filter(el => {
    if (!vis(el)) return false;
    const s = (el.innerText || '').trim();
    return exact ? s === t : s.includes(t);
  });
  const inner = els.filter(el => !els.some(o => o !== el && el.contains(o)));
  return inner[0] || null;
};
const fresh = el => {
  if (!el || el.hasAttribute('data-fanout-seen')) return null;
  el.setAttribute('data-fanout-seen', '1');
  return el;
};
const isLogin = () => (` + isLogin + `);
const clear = () => {
` + s.Clear + `
};
`
	return &Page{name: name, lib: lib, frames: s.Frames}
}

// Name is the platform name that prefixes the page's errors.
func (p *Page) Name() string { return p.name }

// Expr wraps the JavaScript expression expr so that it evaluates with the
// library in scope, for the browser helpers that take an expression
// (SetFilesJS, FocusJS).
func (p *Page) Expr(expr string) string {
	return "(() => {\n" + p.lib + "return (" + expr + ");\n})()"
}

// Eval evaluates expr with p's library in scope and decodes its value.
func Eval[T any](ctx context.Context, p *Page, expr string) (T, error) {
	return browser.Eval[T](ctx, p.Expr(expr))
}

// Errorf returns an error prefixed with the platform name.
func (p *Page) Errorf(format string, args ...any) error {
	return fmt.Errorf(p.name+": "+format, args...)
}

// Click runs clear(), then expr, which must yield an element or null, and
// clicks the element as a person does: scrolled into view, the mouse moved
// onto it, pressed and released (real input events, which menus that open
// on mousedown and pages that check for a pointer react to; a script's
// element.click() is neither). Nothing found is a *web.SelectorError naming
// step and what.
func (p *Page) Click(ctx context.Context, step, what, expr string) error {
	err := browser.ClickJS(ctx, step, what, p.Expr(fmt.Sprintf(`(() => { clear(); return %s; })()`, expr)))
	var se *web.SelectorError
	if err != nil && !errors.As(err, &se) && ctx.Err() == nil {
		return fmt.Errorf("%s: step %s: click %s: %w", p.name, step, what, err)
	}
	return err
}

// Hover moves the mouse onto the element expr yields, for controls a page
// shows only while hovered (a cover's edit button).
func (p *Page) Hover(ctx context.Context, step, what, expr string) error {
	return browser.HoverJS(ctx, step, what, p.Expr(expr))
}

// Wait waits until the JavaScript condition cond is true, for at most
// timeout, event-driven (browser.WaitJS); what names it in the
// *web.SelectorError of a timeout.
func (p *Page) Wait(ctx context.Context, timeout time.Duration, step, what, cond string) error {
	return browser.WaitJS(ctx, timeout, step, what, p.Expr("!!("+cond+")"))
}

// WaitClick waits, for at most timeout, for the element that elem (an
// expression yielding an element or null) finds, then clicks it.
func (p *Page) WaitClick(ctx context.Context, timeout time.Duration, step, what, elem string) error {
	if err := p.Wait(ctx, timeout, step, what, elem); err != nil {
		return err
	}
	return p.Click(ctx, step, what, elem)
}

// AtLogin reports whether the tab was sent to the login page, which is how
// the sites answer an expired session at any step.
func (p *Page) AtLogin(ctx context.Context) bool {
	ok, err := Eval[bool](ctx, p, `isLogin()`)
	return err == nil && ok
}

// StepErr turns a failed step into the error Publish returns: a tab that
// ended on the login page means the session expired (ErrLoginRequired),
// whatever element the step was waiting for; a cancelled ctx is reported
// as such.
func (p *Page) StepErr(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %s: %w", p.name, op, ctx.Err())
	}
	if errors.Is(err, platform.ErrLoginRequired) || errors.Is(err, platform.ErrInvalidRequest) {
		return fmt.Errorf("%s: %s: %w", p.name, op, err)
	}
	var se *web.SelectorError
	if (errors.As(err, &se) || errors.Is(err, context.DeadlineExceeded)) && p.AtLogin(ctx) {
		return fmt.Errorf("%s: %s: redirected to the login page: %w", p.name, op, platform.ErrLoginRequired)
	}
	return fmt.Errorf("%s: %s: %w", p.name, op, err)
}

// JSList renders ss as a JavaScript array literal.
func JSList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = browser.JS(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// FirstOf is a JavaScript expression yielding the first element any of sels
// matches (in docs()), tried in order, or null.
func FirstOf(sels []string) string {
	return fmt.Sprintf(`%s.map(s => q(s)).find(Boolean) || null`, JSList(sels))
}
