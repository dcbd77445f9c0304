package browser

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"fanout/pkg/web"
)

// front is the page a tab's task works in: the tab itself, or the window
// it opened that FollowPopup follows. NewSession puts one in every tab's
// context, so that what looks at "the tab" after a failure (Artifacts,
// Screenshot) sees the window the task was in, and a followed window
// presents itself as its tab does.
type front struct {
	mu    sync.Mutex
	popup context.Context
	// profile applies the tab's profile to a window it opened (user
	// agent, language, time zone and window are per page in Chromium).
	profile func(ctx context.Context) error
}

type frontKey struct{}

// withFront returns tabCtx carrying a front whose windows get profile.
func withFront(tabCtx context.Context, profile func(ctx context.Context) error) context.Context {
	return context.WithValue(tabCtx, frontKey{}, &front{profile: profile})
}

// Front returns the context of the page ctx's task works in: the window
// FollowPopup followed while it is open, else ctx itself.
func Front(ctx context.Context) context.Context {
	f, _ := ctx.Value(frontKey{}).(*front)
	if f == nil {
		return ctx
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.popup != nil && f.popup.Err() == nil {
		return f.popup
	}
	return ctx
}

// FollowPopup runs click, which makes the page open a new window
// (window.open, a target=_blank link) as some sites open their publish
// page, and returns a tab context for that window: every helper of this
// package works in it as in a tab, and it ends with ctx. The window must
// open within timeout, else a *web.SelectorError naming step and what.
// While it is open it is the tab's front page (see Front), so a failure
// capture of the tab shows it; closeWindow closes it (a driver that failed
// may leave it open for that capture: the session's end closes it).
func FollowPopup(ctx context.Context, timeout time.Duration, step, what string, click func(ctx context.Context) error) (popup context.Context, closeWindow context.CancelFunc, err error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		return nil, nil, fmt.Errorf("browser: step %s: not a tab context", step)
	}
	opener := c.Target.TargetID
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	opened := chromedp.WaitNewTarget(wctx, func(info *target.Info) bool {
		return info.Type == "page" && info.OpenerID == opener
	})
	if err := click(ctx); err != nil {
		return nil, nil, err
	}
	var id target.ID
	select {
	case id = <-opened:
	case <-wctx.Done():
	}
	if id == "" {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, &web.SelectorError{Step: step, Selector: what, Err: errors.New("no new window opened")}
	}
	popup, closeWindow = chromedp.NewContext(ctx, chromedp.WithTargetID(id))
	if err := chromedp.Do(popup); err != nil {
		closeWindow()
		return nil, nil, fmt.Errorf("browser: step %s: attach to the new window: %w", step, err)
	}
	if f, _ := ctx.Value(frontKey{}).(*front); f != nil {
		if f.profile != nil {
			if err := f.profile(popup); err != nil {
				closeWindow()
				return nil, nil, fmt.Errorf("browser: step %s: new window: %w", step, err)
			}
		}
		f.mu.Lock()
		f.popup = popup
		f.mu.Unlock()
		context.AfterFunc(popup, func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.popup == popup {
				f.popup = nil
			}
		})
	}
	return popup, closeWindow, nil
}
