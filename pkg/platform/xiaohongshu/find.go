package xiaohongshu

import (
	"context"
	"fmt"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

type manageState struct {
	URL    string   `json:"url"`
	Login  bool     `json:"login"`
	Loaded bool     `json:"loaded"`
	Titles []string `json:"titles"`
}

// FindPublished implements platform.Driver: it opens the note manager and
// looks for a note whose title is the request's title as Publish typed it.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	var res platform.PublishResult
	if err := browser.Navigate(ctx, d.to.Page, "find.open", d.base+pathManage); err != nil {
		return res, false, fmt.Errorf("xiaohongshu: find published: %w", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(),
loaded: !!document.querySelector(%s),
titles: Array.from(document.querySelectorAll(%s)).map(el => (el.innerText || '').trim())})`,
		browser.JS(selManageLoaded), browser.JS(selManageTitles))
	var st manageState
	err := browser.Until(ctx, d.to.Element, "find.list", selManageLoaded, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[manageState](ctx, probe)
		return err == nil && (st.Login || st.Loaded), err
	})
	if err != nil {
		return res, false, d.stepErr(ctx, "find published", err)
	}
	if st.Login {
		return res, false, fmt.Errorf("xiaohongshu: find published: redirected to the login page: %w", platform.ErrLoginRequired)
	}
	want := Title(req.Title)
	for _, t := range st.Titles {
		if t == want {
			return platform.PublishResult{URL: st.URL, Verified: true}, true, nil
		}
	}
	return res, false, nil
}
