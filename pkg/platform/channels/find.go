package channels

import (
	"context"
	"strings"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// FindPublished implements platform.Driver: it opens the post list and looks
// for a post whose description starts with the request's title as Publish
// typed it. Drafts are listed there too.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	want := Title(req.Title)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: d.base + pathList, Loaded: selListLoaded, Items: selListTitles,
		Match: func(text string) bool {
			first, _, _ := strings.Cut(text, "\n")
			return strings.TrimSpace(first) == want
		},
	})
}
