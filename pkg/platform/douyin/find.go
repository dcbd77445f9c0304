package douyin

import (
	"context"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// FindPublished implements platform.Driver: it opens the manage page and
// looks for a work whose title is the request's title as Publish typed it.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	want := title(req)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: d.base + pathManage, Loaded: selManageLoaded, Items: selManageTitles,
		Match: func(title string) bool { return title == want },
	})
}
