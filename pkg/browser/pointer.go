package browser

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// Pointer input acts like a person: the element is scrolled into view, the
// mouse moves onto it, then presses and releases. Pages that open a menu on
// mousedown, reveal a control on hover or check that a click came from a
// pointer react to these events and not to a script's element.click().

// point is where the pointer acts on the element expr yields (a JavaScript
// expression returning an element, or null): the centre of its first
// visible box, in the viewport, after scrolling it into view.
func point(ctx context.Context, step, what, expr string) (x, y float64, err error) {
	bx, by, w, h, err := box(ctx, step, what, expr)
	return bx + w/2, by + h/2, err
}

// box is the first visible box of the element expr yields (x, y, width,
// height, in the viewport), after scrolling it into view.
func box(ctx context.Context, step, what, expr string) (x, y, w, h float64, err error) {
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](expr))
	if err != nil {
		if ctx.Err() != nil {
			return 0, 0, 0, 0, ctx.Err()
		}
		return 0, 0, 0, 0, fmt.Errorf("browser: step %s: find %s: %w", step, what, err)
	}
	if obj == nil || obj.ObjectID == "" {
		return 0, 0, 0, 0, &web.SelectorError{Step: step, Selector: what, Err: errors.New("no element")}
	}
	defer func() {
		_, _ = chromedp.Call(context.WithoutCancel(ctx), runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.ObjectID})
	}()
	if _, err := chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{ObjectID: obj.ObjectID}); err != nil {
		return 0, 0, 0, 0, &web.SelectorError{Step: step, Selector: what, Err: fmt.Errorf("not visible: %w", err)}
	}
	res, err := chromedp.Call(ctx, dom.GetContentQuads, dom.GetContentQuadsParams{ObjectID: obj.ObjectID})
	if err != nil {
		return 0, 0, 0, 0, &web.SelectorError{Step: step, Selector: what, Err: fmt.Errorf("not visible: %w", err)}
	}
	for _, q := range res.Quads {
		if len(q) < 8 {
			continue
		}
		// The quad's area (shoelace formula): a box of less than a pixel
		// cannot be clicked.
		area := math.Abs((q[0]*q[3]-q[2]*q[1])+(q[2]*q[5]-q[4]*q[3])+(q[4]*q[7]-q[6]*q[5])+(q[6]*q[1]-q[0]*q[7])) / 2
		if area < 1 {
			continue
		}
		minX, minY := math.Min(math.Min(q[0], q[2]), math.Min(q[4], q[6])), math.Min(math.Min(q[1], q[3]), math.Min(q[5], q[7]))
		maxX, maxY := math.Max(math.Max(q[0], q[2]), math.Max(q[4], q[6])), math.Max(math.Max(q[1], q[3]), math.Max(q[5], q[7]))
		return minX, minY, maxX - minX, maxY - minY, nil
	}
	return 0, 0, 0, 0, &web.SelectorError{Step: step, Selector: what, Err: errors.New("no visible box")}
}

// mouse dispatches one mouse event.
func mouse(ctx context.Context, p input.DispatchMouseEventParams) error {
	_, err := chromedp.Call(ctx, input.DispatchMouseEvent, p)
	return err
}

// moveTo moves the mouse to (x, y) in a few steps, as a hand would, so
// hover handlers on the way fire.
func moveTo(ctx context.Context, x, y float64) error {
	const steps = 4
	fx, fy := max(x-40, 0), max(y-20, 0)
	for i := 1; i <= steps; i++ {
		px := fx + (x-fx)*float64(i)/steps
		py := fy + (y-fy)*float64(i)/steps
		if err := mouse(ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: px, Y: py}); err != nil {
			return err
		}
	}
	return nil
}

// HoverJS moves the mouse onto the element expr yields, for controls a page
// reveals on hover. Nothing found is a *web.SelectorError naming step and
// what.
func HoverJS(ctx context.Context, step, what, expr string) error {
	x, y, err := point(ctx, step, what, expr)
	if err != nil {
		return err
	}
	if err := moveTo(ctx, x, y); err != nil {
		return fmt.Errorf("browser: step %s: hover %s: %w", step, what, err)
	}
	return nil
}

// ClickJS clicks the element expr yields with real mouse events: scroll
// into view, move there, press, release. Nothing found (or nothing visible)
// is a *web.SelectorError naming step and what.
func ClickJS(ctx context.Context, step, what, expr string) error {
	x, y, err := point(ctx, step, what, expr)
	if err != nil {
		return err
	}
	if err := moveTo(ctx, x, y); err != nil {
		return fmt.Errorf("browser: step %s: click %s: %w", step, what, err)
	}
	err = mouse(ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMousePressed, X: x, Y: y, Button: input.MouseButtonLeft, Buttons: 1, ClickCount: 1})
	if err == nil {
		err = mouse(ctx, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseReleased, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1})
	}
	if err != nil {
		return fmt.Errorf("browser: step %s: click %s: %w", step, what, err)
	}
	return nil
}
