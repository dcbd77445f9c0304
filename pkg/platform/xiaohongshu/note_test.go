package xiaohongshu_test

import (
	"testing"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/xiaohongshu/xiaohongshutest"
)

// TestPublishImageNote: the target=image page, its image input with every
// image, the title once they are in, then the video's form and publish; the
// site gets the images in order.
func TestPublishImageNote(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	_, _, p := flowtest.ImageNote(t, site, newDriver(site.URL(), flowtest.Timeouts), "小红书图文",
		func(p xiaohongshutest.Post) fakesite.Media { return p.Media })
	if p.Title != "小红书图文" {
		t.Errorf("post = %+v, want the title 小红书图文", p)
	}
}

// TestImageNoteOverLimitRefusedBeforeAnyPage: more images than the site
// takes are refused without a page.
func TestImageNoteOverLimitRefusedBeforeAnyPage(t *testing.T) {
	flowtest.ImageNoteOverLimit(t, newDriver("http://127.0.0.1:1", flowtest.Timeouts))
}
