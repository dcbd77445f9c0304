package tiktok

import (
	"context"
	"fmt"
	"strings"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
)

type post struct {
	Text string `json:"text"`
	Href string `json:"href"`
}

type contentState struct {
	URL    string `json:"url"`
	Login  bool   `json:"login"`
	Loaded bool   `json:"loaded"`
	Posts  []post `json:"posts"`
}

// FindPublished implements platform.Driver: it opens TikTok Studio's content
// page and looks for a post whose caption starts with the request's title
// as Publish typed it. The result's URL is the video's page.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	var res platform.PublishResult
	if err := browser.Navigate(ctx, d.to.Page, "find.open", d.base+pathContent+langQuery); err != nil {
		return res, false, fmt.Errorf("tiktok: find published: %w", err)
	}
	probe := fmt.Sprintf(`({url: location.href, login: isLogin(), loaded: !!q(%s),
posts: qa(%s).map(a => ({text: (a.innerText || '').trim(), href: a.href || ''}))})`, browser.JS(selPostTable), browser.JS(selPostLinks))
	var st contentState
	err := browser.Until(ctx, d.to.Element, "find.list", selPostTable, func(ctx context.Context) (bool, error) {
		var err error
		st, err = evalJS[contentState](ctx, probe)
		return err == nil && (st.Login || st.Loaded), err
	})
	if err != nil {
		return res, false, d.stepErr(ctx, "find published", err)
	}
	if st.Login {
		return res, false, fmt.Errorf("tiktok: find published: redirected to the login page: %w", platform.ErrLoginRequired)
	}
	want := Title(req.Title)
	for _, p := range st.Posts {
		if first, _, _ := strings.Cut(p.Text, "\n"); strings.TrimSpace(first) == want {
			url := p.Href
			if url == "" {
				url = st.URL
			}
			return platform.PublishResult{URL: url, Verified: true}, true, nil
		}
	}
	return res, false, nil
}
