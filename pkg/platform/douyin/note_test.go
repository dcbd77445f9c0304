package douyin_test

import (
	"testing"
	"time"
	"unicode/utf8"

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
	d := newDriver(site.URL(), flowtest.Timeouts)
	req, res, p := flowtest.ImageNote(t, site, d, "一篇图文笔记的标题超过二十个字会被截断到二十个字",
		func(p douyintest.Post) fakesite.Media { return p.Media })
	if want := douyin.NoteTitle(req.Title); p.Title != want || utf8.RuneCountInString(want) != 20 {
		t.Errorf("title = %q, want %q (20 characters)", p.Title, want)
	}
	if len(p.Tags) != 2 || res.URL == "" {
		t.Errorf("post = %+v, result %+v: want the request's tags and a landing URL", p, res)
	}
	// The retry's check finds the note by its 20-character title.
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	if _, ok, err := d.FindPublished(ctx, req); err != nil || !ok {
		t.Errorf("FindPublished = %v, %v; want found", ok, err)
	}
}

// TestImageNoteOverLimitRefusedBeforeAnyPage: 36 images are more than the
// site takes; the driver refuses without a page.
func TestImageNoteOverLimitRefusedBeforeAnyPage(t *testing.T) {
	flowtest.ImageNoteOverLimit(t, newDriver("http://127.0.0.1:1", flowtest.Timeouts))
}
