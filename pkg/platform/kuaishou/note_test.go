package kuaishou_test

import (
	"context"
	"errors"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/kuaishou/kuaishoutest"
	"fanout/pkg/platform/platformtest"
)

// TestPublishImageNote: the 图文 tab, 上传图片's chooser with every image,
// the video's caption and publish; the site gets the images in order.
func TestPublishImageNote(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	req := platformtest.NoteRequest(t, "快手图文", 3)
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	p := posts[0]
	if why := platformtest.NoteImagesMatch(t, shas(p.Images), req.ImagePaths); why != "" {
		t.Error(why)
	}
	if p.Title != "快手图文" || p.VideoSHA256 != "" {
		t.Errorf("post = %+v, want the title 快手图文 and no video", p)
	}
}

// TestImageNoteOverLimitRefusedBeforeAnyPage: more images than the site
// takes are refused without a page (the context has no tab).
func TestImageNoteOverLimitRefusedBeforeAnyPage(t *testing.T) {
	req := platformtest.NoteRequest(t, "太多图片", platform.CapabilitiesOf(platform.Kuaishou).ImageNotesMax+1)
	_, err := newDriver("http://127.0.0.1:1", flowtest.Timeouts).Publish(context.Background(), req, (&platformtest.Recorder{}).Func)
	if !errors.Is(err, platform.ErrInvalidRequest) {
		t.Fatalf("err = %v, want ErrInvalidRequest", err)
	}
}

func shas(images []fakesite.Image) []string {
	out := make([]string, len(images))
	for i, im := range images {
		out[i] = im.SHA256
	}
	return out
}
