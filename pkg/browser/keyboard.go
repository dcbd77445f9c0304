package browser

import (
	"context"
	"errors"
	"fmt"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"fanout/pkg/web"
)

// Keys for Press, re-exported so drivers need not import chromedp/kb.
const (
	KeyEnter     = kb.Enter
	KeyEscape    = kb.Escape
	KeyBackspace = kb.Backspace
	KeySpace     = " "
)

// Focus focuses the first element matching css and selects all its content
// (the value of an input or textarea, the children of a contenteditable), so
// the next typed text replaces it like a user's Ctrl+A. It fails at once
// with a *web.SelectorError when nothing matches; wait first.
func Focus(ctx context.Context, step, css string) error {
	ok, err := Eval[bool](ctx, fmt.Sprintf(`(()=>{const el=document.querySelector(%s); if(!el) return false;
el.scrollIntoView({block:'center'}); el.focus();
if (typeof el.select==='function') { el.select(); }
else { const r=document.createRange(); r.selectNodeContents(el); const s=getSelection(); s.removeAllRanges(); s.addRange(r); }
return true;})()`, JS(css)))
	if err != nil {
		return fmt.Errorf("browser: step %s: focus %s: %w", step, css, err)
	}
	if !ok {
		return &web.SelectorError{Step: step, Selector: css, Err: errors.New("no element")}
	}
	return nil
}

// InsertText types text at the focus as one input event, the way an IME
// commits it. Unlike key events it handles any Unicode (Chinese, emoji) and
// fires the input events that framework-controlled fields listen to.
func InsertText(ctx context.Context, text string) error {
	if text == "" {
		return nil
	}
	if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		return fmt.Errorf("browser: insert text: %w", err)
	}
	return nil
}

// Fill replaces the content of the field matching css with text: focus,
// select all, then type (or delete when text is empty).
func Fill(ctx context.Context, step, css, text string) error {
	if err := Focus(ctx, step, css); err != nil {
		return err
	}
	if text == "" {
		return Press(ctx, KeyBackspace)
	}
	return InsertText(ctx, text)
}

// Press sends key events for keys (characters or the Key constants) to the
// focused element, as a user's key presses: keydown, char, keyup.
func Press(ctx context.Context, keys string) error {
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		return fmt.Errorf("browser: press %q: %w", keys, err)
	}
	return nil
}
