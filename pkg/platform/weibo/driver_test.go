package weibo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/weibo"
	"fanout/pkg/platform/weibo/weibotest"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// TestDriver runs the conformance suite and flow's cases against the fake
// site. Weibo requires a cover, which the suite's requests do not carry:
// the driver under test adds the test cover to a request without one
// (withCover), as the API makes every Weibo publish carry one;
// TestCoverRequired checks the driver itself refuses a request without.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Refused: map[string]flowtest.Refusal{
			"UnofferedDeclaration": {
				Req: flowtest.Request("不存在的声明", func(r *platform.PublishRequest) { r.Declaration = "没有这个选项" }), Want: "含AI生成内容"},
			"UnofferedCollection": {
				Req: flowtest.Request("不存在的合集", func(r *platform.PublishRequest) { r.Collection = "没有这个合集" }), Want: "旅行日记"},
		},
		TitleLimit: 30,
		Title:      weibo.Title,
		Conformance: platformtest.Harness{
			Declaration:   "内容取材网络",
			SuccessToast:  true,
			DefaultOption: "declaration",
			Explicit:      func(r *platform.PublishRequest) { r.Declaration = "含AI生成内容" },
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(weibotest.New),
	})
}

// withCover is a weibo driver whose requests without a cover get the
// test cover.
type withCover struct{ *weibo.Driver }

func (d withCover) Publish(ctx context.Context, req platform.PublishRequest, onProgress func(platform.Progress) error) (platform.PublishResult, error) {
	if req.CoverPath == "" {
		req.CoverPath = testenv.Testdata("cover.png")
	}
	return d.Driver.Publish(ctx, req, onProgress)
}

// newDriver points weibo.com and the passport at the fake at baseURL,
// with the waits bounded by to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return withCover{weibo.New(weibo.Config{BaseURL: baseURL, PassportURL: baseURL, Timeouts: to})}
}

func TestCoverRequired(t *testing.T) {
	d := weibo.New(weibo.Config{BaseURL: "http://127.0.0.1:1", PassportURL: "http://127.0.0.1:1", Timeouts: flowtest.Timeouts})
	_, err := d.Publish(t.Context(), platformtest.Request("没有封面"), (&platformtest.Recorder{}).Func)
	if !errors.Is(err, platform.ErrInvalidRequest) {
		t.Fatalf("Publish without a cover = %v, want ErrInvalidRequest", err)
	}
}

// TestFailureCaptureShowsThePublishWindow checks that after a failure in
// the publish window, the tab's failure capture (what the worker keeps)
// shows that window, not the home left behind in the first tab.
func TestFailureCaptureShowsThePublishWindow(t *testing.T) {
	site := flowtest.Serve(t, weibotest.New)
	site.BreakLayout(true)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 60*time.Second)
	_, err := newDriver(site.URL(), flowtest.Timeouts).Publish(ctx, platformtest.Request("改版"), (&platformtest.Recorder{}).Func)
	var se *web.SelectorError
	if !errors.As(err, &se) {
		t.Fatalf("Publish = %v, want a *web.SelectorError", err)
	}
	_, html, err := browser.Artifacts(ctx)
	if err != nil || !strings.Contains(html, "_uploader2027") {
		t.Errorf("Artifacts(tab) = %.120q, %v; want the publish window's redesigned page", html, err)
	}
}
