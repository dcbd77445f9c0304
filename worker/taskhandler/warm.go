package taskhandler

import (
	"context"
	"sync"
	"time"

	"github.com/chromedp/chromedp"

	"fanout/pkg/browser"
	"fanout/pkg/job"
)

// warmFor is how long an account's browser context waits for its next task.
const warmFor = 20 * time.Second

// warm keeps the browser context of an account whose next publish already
// waits, for that publish: the context, its cookies, profile and proxy are
// set up once instead of per task (the largest step of a publish). Only a
// context that ended a successful publish is kept; a failure always ends
// in a fresh one.
type warm struct {
	mu   sync.Mutex
	tabs map[string]*warmTab // account id →
}

type warmTab struct {
	tab   context.Context
	close context.CancelFunc
	proxy string
	timer *time.Timer
}

// take returns the account's kept context for proxy, if one is there and
// still answers.
func (w *warm) take(accountID, proxy string) (context.Context, context.CancelFunc, bool) {
	w.mu.Lock()
	wt := w.tabs[accountID]
	delete(w.tabs, accountID)
	w.mu.Unlock()
	if wt == nil {
		return nil, nil, false
	}
	wt.timer.Stop()
	alive := wt.tab.Err() == nil && wt.proxy == proxy
	if alive && chromedp.FromContext(wt.tab) != nil {
		// A page that crashed or a browser that restarted does not answer.
		ctx, cancel := context.WithTimeout(wt.tab, 2*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("true"))
		cancel()
		alive = err == nil
	}
	if !alive {
		wt.close()
		return nil, nil, false
	}
	return wt.tab, wt.close, true
}

// keep holds the account's context for its next task, closing it after
// warmFor if none comes (and a context it replaces at once).
func (w *warm) keep(accountID, proxy string, tab context.Context, closeTab context.CancelFunc) {
	wt := &warmTab{tab: tab, close: closeTab, proxy: proxy}
	wt.timer = time.AfterFunc(warmFor, func() {
		w.mu.Lock()
		if w.tabs[accountID] == wt {
			delete(w.tabs, accountID)
		}
		w.mu.Unlock()
		closeTab()
	})
	w.mu.Lock()
	if w.tabs == nil {
		w.tabs = map[string]*warmTab{}
	}
	old := w.tabs[accountID]
	w.tabs[accountID] = wt
	w.mu.Unlock()
	if old != nil {
		old.timer.Stop()
		old.close()
	}
}

// publishSession opens (or takes the kept) browser context for publish
// task t. The driver runs in the returned tab, which ends with ctx (the
// attempt); release(keep) then keeps the context for the account's next
// task or closes it.
func (h *Handler) publishSession(ctx context.Context, t job.Task, opt browser.SessionOptions) (tab context.Context, release func(keep bool), err error) {
	if h.browserless(t) {
		// Nothing to keep warm: the session is the task's own.
		tab, closeTab, err := h.session(ctx, t, opt)
		if err != nil {
			return nil, nil, err
		}
		return tab, func(bool) { closeTab() }, nil
	}
	base, closeBase, ok := h.warm.take(t.AccountID, opt.Proxy)
	if !ok {
		// Not bound to the attempt: whether it closes is release's call.
		base, closeBase, err = h.session(context.WithoutCancel(ctx), t, opt)
		if err != nil {
			return nil, nil, err
		}
	}
	run, stop := context.WithCancel(base)
	unbind := context.AfterFunc(ctx, stop)
	return run, func(keep bool) {
		unbind()
		stop()
		if keep && base.Err() == nil {
			h.warm.keep(t.AccountID, opt.Proxy, base, closeBase)
			// Off the hand-off's path: the next task need not wait for it.
			go func() {
				rctx, cancel := context.WithTimeout(base, 2*time.Second)
				defer cancel()
				if err := browser.Relieve(rctx); err != nil && base.Err() == nil {
					h.log.Debug("relieve the kept tab's memory", "account_id", t.AccountID, "err", err)
				}
			}()
			return
		}
		closeBase()
	}, nil
}
