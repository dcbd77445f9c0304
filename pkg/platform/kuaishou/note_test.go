package kuaishou_test

import (
	"testing"

	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/kuaishou/kuaishoutest"
)

// TestPublishImageNote: the 图文 tab, 上传图片's chooser with every image,
// the video's caption and publish; the site gets the images in order.
func TestPublishImageNote(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	_, _, p := flowtest.ImageNote(t, site, newDriver(site.URL(), flowtest.Timeouts), "快手图文",
		func(p kuaishoutest.Post) fakesite.Media { return p.Media })
	if p.Title != "快手图文" {
		t.Errorf("post = %+v, want the title 快手图文", p)
	}
}

// TestImageNoteOverLimitRefusedBeforeAnyPage: more images than the site
// takes are refused without a page.
func TestImageNoteOverLimitRefusedBeforeAnyPage(t *testing.T) {
	flowtest.ImageNoteOverLimit(t, newDriver("http://127.0.0.1:1", flowtest.Timeouts))
}
