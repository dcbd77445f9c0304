package channels

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/input"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"fanout/pkg/browser"
	"fanout/pkg/web"
)

// A frame of another origin, such as the login's qrconnect frame: no
// script of the page can reach its document (contentDocument is null), so
// the driver reads it through the DevTools protocol, as a person reads what
// the frame shows. A frame of the same site (open.weixin.qq.com inside
// channels.weixin.qq.com) runs in the page's process and is read in a world
// of the driver's own in that frame; a frame of another site runs in its
// own process (Chromium's site isolation) and is read through its own
// target.
type otherFrame struct {
	// tab is the tab's context, which an attached frame target lives in.
	tab context.Context
	id  cdp.FrameID
	// world is the driver's world in a frame of the page's process; 0 when
	// the frame runs out of process and target reads it.
	world  runtime.ExecutionContextID
	target context.Context
	stop   context.CancelFunc
}

// frameEval bounds one look into the frame.
const frameEval = 3 * time.Second

// ownerFrame returns the id of the frame the iframe element owner (a
// JavaScript expression of the page library) shows, "" when there is
// none.
func ownerFrame(ctx context.Context, owner string) (cdp.FrameID, error) {
	obj, err := chromedp.Run(ctx, chromedp.Evaluate[*runtime.RemoteObject](page.Expr(owner)))
	if err != nil || obj == nil || obj.ObjectID == "" {
		return "", err
	}
	defer func() {
		_, _ = chromedp.Call(context.WithoutCancel(ctx), runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: obj.ObjectID})
	}()
	n, err := chromedp.Call(ctx, dom.DescribeNode, dom.DescribeNodeParams{ObjectID: obj.ObjectID})
	if err != nil {
		return "", err
	}
	return n.Node.FrameID, nil
}

// open readies f to read the frame id, unless it already does.
func (f *otherFrame) open(ctx context.Context, id cdp.FrameID) error {
	if f.id == id && (f.world != 0 || f.target != nil) {
		return nil
	}
	f.close()
	w, err := chromedp.Call(ctx, cdppage.CreateIsolatedWorld, cdppage.CreateIsolatedWorldParams{FrameID: id, WorldName: "fanout"})
	if err == nil {
		f.id, f.world = id, w.ExecutionContextID
		return nil
	}
	// Out of process: the frame is a target of its own (its id is the
	// frame's). The attachment lives as long as the tab's context, so it
	// is made with that context (bounded by the caller's) and left, not
	// closed, when done.
	tctx, stop := chromedp.NewContext(f.tab, chromedp.WithTargetID(target.ID(id)), chromedp.WithDetachOnCancel())
	if err := chromedp.Do(tctx); err != nil {
		stop()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("read frame %s: %w", id, err)
	}
	f.id, f.target, f.stop = id, tctx, stop
	return nil
}

// close lets go of the frame.
func (f *otherFrame) close() {
	if f.stop != nil {
		f.stop()
	}
	f.id, f.world, f.target, f.stop = "", 0, nil, nil
}

// evalFrame evaluates expr in the frame the iframe element owner shows and
// decodes its value. A frame that navigated (its world or target gone) is
// read afresh on the next call.
func evalFrame[T any](ctx context.Context, f *otherFrame, owner, expr string) (T, error) {
	var zero T
	id, err := ownerFrame(ctx, owner)
	if err != nil {
		return zero, err
	}
	if id == "" {
		f.close()
		return zero, errNoFrame
	}
	if err := f.open(ctx, id); err != nil {
		return zero, err
	}
	var v T
	if f.world != 0 {
		v, err = chromedp.Run(ctx, chromedp.Evaluate[T](expr, func(p *runtime.EvaluateParams) { p.ContextID = f.world }))
	} else {
		ectx, cancel := context.WithTimeout(f.target, frameEval)
		v, err = chromedp.Run(ectx, chromedp.Evaluate[T](expr))
		cancel()
	}
	if err != nil {
		f.close()
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
		return zero, err
	}
	return v, nil
}

// errNoFrame: the page shows no such frame.
var errNoFrame = errors.New("no frame")

// point is a spot in a frame's viewport, in CSS pixels.
type point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// clickInFrame clicks at p of the frame the iframe element owner shows, as a
// person does: the tab's mouse moves there, presses and releases (input is
// routed to the frame by the browser, whatever its process). what names the
// element in errors.
func clickInFrame(ctx context.Context, step, what, owner string, p point) error {
	// The frame's content box, in the tab's viewport, once in view.
	origin := fmt.Sprintf(`((f) => { if (!f) return null; f.scrollIntoView({block: 'nearest'});
const r = f.getBoundingClientRect(), s = f.ownerDocument.defaultView.getComputedStyle(f);
return {x: r.left + f.clientLeft + parseFloat(s.paddingLeft), y: r.top + f.clientTop + parseFloat(s.paddingTop)}; })(%s)`, owner)
	o, err := chromedp.Run(ctx, chromedp.Evaluate[*point](page.Expr(origin)))
	if err != nil {
		return fmt.Errorf("channels: step %s: click %s: %w", step, what, err)
	}
	if o == nil {
		return &web.SelectorError{Step: step, Selector: what, Err: errNoFrame}
	}
	if err := clickAt(ctx, o.X+p.X, o.Y+p.Y); err != nil {
		return fmt.Errorf("channels: step %s: click %s: %w", step, what, err)
	}
	return nil
}

// clickAt moves the tab's mouse to (x, y) in a few steps, as a hand would,
// then presses and releases the left button there.
func clickAt(ctx context.Context, x, y float64) error {
	const steps = 4
	fx, fy := max(x-40, 0), max(y-20, 0)
	for i := 1; i <= steps; i++ {
		move := input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved,
			X: fx + (x-fx)*float64(i)/steps, Y: fy + (y-fy)*float64(i)/steps}
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, move); err != nil {
			return err
		}
	}
	for _, t := range []input.DispatchMouseEventType{input.DispatchMouseEventTypeMousePressed, input.DispatchMouseEventTypeMouseReleased} {
		ev := input.DispatchMouseEventParams{Type: t, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1}
		if t == input.DispatchMouseEventTypeMousePressed {
			ev.Buttons = 1
		}
		if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, ev); err != nil {
			return err
		}
	}
	return nil
}

// screenshotFrame is what the frame the iframe element owner shows looks
// like, as a PNG data URL.
func screenshotFrame(ctx context.Context, step, what, owner string) (string, error) {
	return browser.ScreenshotElement(ctx, step, what, page.Expr(owner))
}
