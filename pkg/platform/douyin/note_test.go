package douyin_test

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
)

// TestPublishImageNote: 发布图文, the images in their order, the note's
// form with its 20-character title, and the post lands.
func TestPublishImageNote(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	req := platformtest.NoteRequest(t, "一篇图文笔记的标题超过二十个字会被截断到二十个字", 3)
	req.Tags = []string{"图文"}
	res, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
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
	if want := douyin.NoteTitle(req.Title); p.Title != want || utf8.RuneCountInString(want) != 20 {
		t.Errorf("title = %q, want %q (20 characters)", p.Title, want)
	}
	if p.VideoSHA256 != "" || len(p.Tags) != 1 || p.Tags[0] != "图文" {
		t.Errorf("post = %+v, want no video and the tag 图文", p)
	}
	if res.URL == "" {
		t.Error("no landing URL")
	}
	// The retry's check finds the note by its 20-character title.
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	if _, ok, err := newDriver(site.URL(), flowtest.Timeouts).FindPublished(ctx, req); err != nil || !ok {
		t.Errorf("FindPublished = %v, %v; want found", ok, err)
	}
}

// TestImageNoteOverLimitRefusedBeforeAnyPage: 36 images are more than the
// site takes; the driver refuses without a page (the context has no tab).
func TestImageNoteOverLimitRefusedBeforeAnyPage(t *testing.T) {
	req := platformtest.NoteRequest(t, "太多图片", 36)
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
