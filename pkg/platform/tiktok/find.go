package tiktok

import (
	"context"
	"strings"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
)

// FindPublished implements platform.Driver: it opens TikTok Studio's content
// page and looks for a post whose caption starts with the request's title
// as Publish typed it. The result's URL is the video's page.
func (d *Driver) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	want := Title(req.Title)
	return page.FindPublished(ctx, d.to, flow.Find{
		URL: d.base + pathContent + langQuery, Loaded: selPostTable, Items: selPostLinks, Links: true,
		Match: func(text string) bool {
			first, _, _ := strings.Cut(text, "\n")
			return strings.TrimSpace(first) == want
		},
	})
}
