package weibo_test

import (
	"context"
	"errors"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/weibo"
	"fanout/pkg/platform/weibo/weibotest"
	"fanout/pkg/testenv"
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
