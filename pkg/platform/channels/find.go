package channels

import (
	"context"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

type listState struct {
	URL    string   `json:"url"`
	Login  bool     `json:"login"`
	Loaded bool     `json:"loaded"`
	Titles []string `json:"titles"`
}

// FindPublished implements platform.Driver: it opens the post list and looks
// for a post whose description starts with the request's title as Publish
// typed it. Drafts are listed there too.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	var res platform.PublishResult
	if err := browser.Navigate(ctx, d.to.Page, "find.open", d.base+pathList); err != nil {
		return res, false, fmt.Errorf("channels: find published: %w", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(), loaded: !!q(%s),
titles: qa(%s).map(el => (el.innerText || '').trim())})`, browser.JS(selListLoaded), browser.JS(selListTitles))
	var st listState
	err := browser.Until(ctx, d.to.Element, "find.list", selListLoaded, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[listState](ctx, probe)
		return err == nil && (st.Login || st.Loaded), err
	})
	if err != nil {
		return res, false, d.stepErr(ctx, "find published", err)
	}
	if st.Login {
		return res, false, fmt.Errorf("channels: find published: redirected to the login page: %w", platform.ErrLoginRequired)
	}
	want := Title(req.Title)
	for _, t := range st.Titles {
		if first, _, _ := strings.Cut(t, "\n"); strings.TrimSpace(first) == want {
			return platform.PublishResult{URL: st.URL, Verified: true}, true, nil
		}
	}
	return res, false, nil
}
