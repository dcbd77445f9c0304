package flow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

// Offered waits, for at most timeout, until the page offers options
// (offered is a JavaScript expression yielding their labels) and checks
// that want is one of them (or a label's first line). A choice the page
// does not offer is the request's fault, not a changed page: the error is
// platform.ErrInvalidRequest and lists the offered labels, kind naming what
// they are ("declaration").
func (p *Page) Offered(ctx context.Context, timeout time.Duration, step, what, offered, kind, want string) error {
	if err := p.Wait(ctx, timeout, step, what, offered+`.length > 0`); err != nil {
		return err
	}
	labels, err := Eval[[]string](ctx, p, offered)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(labels, func(l string) bool { return l == want || strings.HasPrefix(l, want+"\n") }) {
		return fmt.Errorf("%s %q is not offered (%s): %w", kind, want, strings.Join(labels, ", "), platform.ErrInvalidRequest)
	}
	return nil
}

// Key is one keystroke of a typed text: Text inserted, or else Press
// pressed (browser.KeyEnter, ...).
type Key struct{ Text, Press string }

// Hashtags are the keys that type each tag as #tag followed by a space,
// which ends the hashtag and closes the editor's suggestions.
func Hashtags(tags []string) []Key {
	var keys []Key
	for _, t := range tags {
		keys = append(keys, Key{Text: "#" + t}, Key{Press: browser.KeySpace})
	}
	return keys
}

// TypeKeys types keys into the focused element, in order.
func TypeKeys(ctx context.Context, keys []Key) error {
	for _, k := range keys {
		var err error
		if k.Text != "" {
			err = browser.InsertText(ctx, k.Text)
		} else {
			err = browser.Press(ctx, k.Press)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// FitDescription cuts desc (trimmed) so that a caption of limit characters
// holds the title, the #tags and desc, each on its own line or with its
// separator (two characters each).
func FitDescription(limit int, title string, tags []string, desc string) string {
	used := utf8.RuneCountInString(title) + 2
	for _, t := range tags {
		used += utf8.RuneCountInString(t) + 2
	}
	return Truncate(strings.TrimSpace(desc), max(0, limit-used))
}

// Focus waits, for at most timeout, until the element css is visible (in
// any same-origin frame) and focuses it with its content selected, so that
// typing replaces what it holds.
func (p *Page) Focus(ctx context.Context, timeout time.Duration, step, css string) error {
	if err := browser.WaitVisibleInFrames(ctx, timeout, step, css); err != nil {
		return err
	}
	return browser.FocusJS(ctx, step, css, p.Expr(fmt.Sprintf(`q(%s)`, browser.JS(css))))
}
