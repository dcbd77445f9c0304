package baijiahao_test

import (
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform/baijiahao/baijiahaotest"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
)

// TestCoverNeedsItsConfirm shows that the fake asks for the whole cover
// sequence (选择封面 → 上传 → the image → 确定): an image chosen in the
// dialog that is closed without 确定 is not the cover, and the post goes
// out with the site's own.
func TestCoverNeedsItsConfirm(t *testing.T) {
	site := flowtest.Serve(t, baijiahaotest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	click := func(css string) {
		t.Helper()
		step("wait "+css, browser.WaitVisible(ctx, 5*time.Second, "wait", css))
		step("click "+css, browser.ClickJS(ctx, "click", css, `document.querySelector(`+browser.JS(css)+`)`))
	}
	step("open", browser.Navigate(ctx, 10*time.Second, "open", site.URL()+"/builder/rc/edit?type=videoV2"))
	step("video", browser.SetFiles(ctx, 5*time.Second, "video", `input[type="file"][accept*="video"]`, testenv.Testdata("sample.mp4")))
	click(`[data-testid="select-cover"]`)
	if n, _ := browser.Eval[int](ctx, `document.querySelectorAll('input[type="file"][accept*="image"]').length`); n != 0 {
		t.Fatalf("%d image inputs before 上传 was clicked, want none", n)
	}
	click(`.cover-upload-btn`)
	step("image", browser.SetFiles(ctx, 5*time.Second, "image", `input[type="file"][accept*="image"]`, testenv.Testdata("cover.png")))
	step("preview", browser.WaitVisible(ctx, 5*time.Second, "preview", `.cover-modal-preview`))
	click(`#cover-modal button[data-action="cancel"]`)
	step("auto cover", browser.WaitVisible(ctx, 10*time.Second, "auto", `div.cheetah-spin-container img`))
	step("title", browser.Fill(ctx, "title", `div[class*="contentEditable"]`, "没有确定的封面不算数的视频"))
	click(`[data-testid="publish-btn"]`)
	step("landed", browser.WaitURL(ctx, 10*time.Second, "landed", "/builder/rc/clue"))
	posts := site.Published()
	if len(posts) != 1 || !posts[0].AutoCover || posts[0].CoverSHA256 != "" {
		t.Fatalf("posts = %+v, want one with the site's cover, not the unconfirmed image", posts)
	}
}
