package browser

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// Frame-aware helpers. Some creator sites put their forms in an <iframe>
// (WeChat Channels' publish form and QR login, TikTok's older upload page),
// while Eval and the waits above look only at the main document.
//
// These helpers reach into frames through the DOM (iframe.contentDocument)
// from the main frame's script, not through per-frame CDP execution
// contexts. A same-origin frame lives in the same renderer and JavaScript
// heap as the top page, so one Runtime.evaluate still inspects every frame
// in a single round trip per poll, with no bookkeeping of frame ids and
// execution contexts that come and go with each navigation. The frames
// that matter are same-origin with their page (channels.weixin.qq.com
// embeds its own /login-for-iframe and /micro/ pages); a cross-origin frame
// has a null contentDocument and is skipped, so drivers treat what is
// inside it as absent.

// DocumentsJS is a JavaScript expression that yields the documents script
// in the main frame can reach: the top document first, then the documents
// of same-origin <iframe> and <frame> elements, depth first.
const DocumentsJS = `(function docs(d) { const out = [d];
  for (const f of d.querySelectorAll('iframe, frame')) {
    let cd = null; try { cd = f.contentDocument; } catch (e) {}
    if (cd && cd.documentElement) out.push(...docs(cd));
  }
  return out; })(document)`

// FrameVisibleJS is VisibleJS for an element of any reachable document: it
// computes the style in the element's own window.
const FrameVisibleJS = `function(el){ if(!el || !el.ownerDocument) return false; const w=el.ownerDocument.defaultView; if(!w) return false; const s=w.getComputedStyle(el); if(s.visibility==='hidden'||s.display==='none') return false; const r=el.getBoundingClientRect(); return r.width>0||r.height>0; }`

// QueryFramesJS returns a JavaScript expression that yields the first
// element matching css in any reachable document, or null.
func QueryFramesJS(css string) string {
	return fmt.Sprintf(`((%s).map(d => d.querySelector(%s)).find(Boolean) || null)`, DocumentsJS, JS(css))
}

// ExistsInFrames reports whether css matches an element in any reachable
// document.
func ExistsInFrames(ctx context.Context, css string) (bool, error) {
	return Eval[bool](ctx, "!!("+QueryFramesJS(css)+")")
}

// VisibleInFrames reports whether some element matching css is visible in
// any reachable document.
func VisibleInFrames(ctx context.Context, css string) (bool, error) {
	return Eval[bool](ctx, fmt.Sprintf(`(%s).some(d => Array.from(d.querySelectorAll(%s)).some(%s))`, DocumentsJS, JS(css), FrameVisibleJS))
}

// WaitVisibleInFrames waits up to timeout for an element matching css to be
// visible in any reachable document.
func WaitVisibleInFrames(ctx context.Context, timeout time.Duration, step, css string) error {
	return Until(ctx, timeout, step, css, func(ctx context.Context) (bool, error) { return VisibleInFrames(ctx, css) })
}

// SetFilesJS sets the files of the file input that the JavaScript
// expression expr yields (an element or null), wherever it lives: the
// element is resolved to a remote object and the files are set on it, so
// inputs inside same-origin frames work as well as hidden ones. what names
// the element in a *web.SelectorError when expr yields nothing.
func SetFilesJS(ctx context.Context, timeout time.Duration, step, what, expr string, paths ...string) error {
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	obj, err := chromedp.Run(sctx, chromedp.Evaluate[*runtime.RemoteObject](`(() => { const el = (`+expr+`);
return el && el.tagName === 'INPUT' && el.type === 'file' ? el : null; })()`))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("browser: step %s: find %s: %w", step, what, err)
	}
	if obj == nil || obj.ObjectID == "" {
		return &web.SelectorError{Step: step, Selector: what, Err: errors.New("no file input")}
	}
	defer func() {
		_, _ = chromedp.Call(context.WithoutCancel(sctx), runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.ObjectID})
	}()
	if _, err := chromedp.Call(sctx, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: paths, ObjectID: obj.ObjectID}); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("browser: step %s: set files on %s: %w", step, what, err)
	}
	return nil
}

// FocusJS focuses the element that expr yields and selects its content, as
// Focus does for a selector, in whichever reachable document it lives. Key
// events and InsertText then go to it.
func FocusJS(ctx context.Context, step, what, expr string) error {
	ok, err := Eval[bool](ctx, `(() => { const el = (`+expr+`); if (!el) return false;
el.scrollIntoView({block: 'center'}); el.focus();
if (typeof el.select === 'function') { el.select(); }
else { const d = el.ownerDocument; const r = d.createRange(); r.selectNodeContents(el); const s = d.getSelection(); s.removeAllRanges(); s.addRange(r); }
return true; })()`)
	if err != nil {
		return fmt.Errorf("browser: step %s: focus %s: %w", step, what, err)
	}
	if !ok {
		return &web.SelectorError{Step: step, Selector: what, Err: errors.New("no element")}
	}
	return nil
}
