package baijiahao

import (
	"context"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// FindPublished implements platform.Driver: it opens the content list and
// looks for an item whose title is the request's title as Publish typed it.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	want := Title(req.Title)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: d.base + pathContent, Loaded: selContentList, Items: selContentTitle, Links: true,
		Match: func(title string) bool { return title == want },
	})
}
