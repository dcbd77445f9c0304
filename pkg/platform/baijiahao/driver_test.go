package baijiahao_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform"
	"fanout/pkg/platform/baijiahao"
	"fanout/pkg/platform/baijiahao/baijiahaotest"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
)

// TestDriver runs the conformance suite and flow's cases against the fake
// site. Baijiahao takes titles of 9–30 characters and the suite's are
// shorter: the harness's driver lengthens them as a user would have to
// (longTitles; TestShortTitleRefused shows the driver itself refuses
// them). Its Video case publishes what the form has: a title, a cover, a
// declaration, no schedule, description or tags.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Refused: map[string]flowtest.Refusal{
			"UnofferedDeclaration": {
				Req: flowtest.Request("不存在的声明选项测试", func(r *platform.PublishRequest) { r.Declaration = "没有这个选项" }), Want: "含AI生成内容"},
			"UnofferedCollection": {
				Req: flowtest.Request("不存在的合集选项测试", func(r *platform.PublishRequest) { r.Collection = "没有这个合集" }), Want: "旅行日记"},
		},
		TitleLimit: 30,
		Title:      baijiahao.Title,
		Conformance: platformtest.Harness{
			Declaration:   "内容取材网络",
			SuccessToast:  true,
			DefaultOption: "declaration",
			Explicit:      func(r *platform.PublishRequest) { r.Declaration = baijiahao.DefaultDeclaration },
			Video: func(r *platform.PublishRequest) {
				r.Title = "春天的第一场雨，听窗外的雨声"
				r.Description, r.Tags, r.ScheduleAt = "", nil, time.Time{}
			},
			Verification: platform.VerifyCaptcha,
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(baijiahaotest.New),
	})
}

// TestShortTitleRefused: a title under 9 characters is refused before the
// page, not padded with words the user did not write.
func TestShortTitleRefused(t *testing.T) {
	d := baijiahao.New(baijiahao.Config{BaseURL: "http://127.0.0.1:1", Timeouts: flowtest.Timeouts})
	_, err := d.Publish(t.Context(), platformtest.Request("八个字的短标题"), (&platformtest.Recorder{}).Func)
	if !errors.Is(err, platform.ErrInvalidRequest) {
		t.Fatalf("Publish of a 7-character title = %v, want ErrInvalidRequest", err)
	}
}

// TestPublishWithoutCoverCollectionAndDefaults: without a cover the post
// carries the one the site made (the driver waited for it); the collection
// is picked; the default declaration is set; the title replaced the file's
// name the editor started with; the description and tags have nowhere to
// go.
func TestPublishWithoutCoverCollectionAndDefaults(t *testing.T) {
	site := flowtest.Serve(t, baijiahaotest.New)
	req := platformtest.Request("没有封面也能发布的视频")
	req.Collection = "美食探店"
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want one", posts)
	}
	p := posts[0]
	if !p.AutoCover || p.CoverSHA256 != "" || p.Collection != "美食探店" || p.Declaration != baijiahao.DefaultDeclaration ||
		p.Title != req.Title || p.Description != "" || len(p.Tags) != 0 {
		t.Fatalf("post = %+v, want the site's cover, collection 美食探店, declaration %s and only the title", p, baijiahao.DefaultDeclaration)
	}
}

func TestDeclarationAliases(t *testing.T) {
	flowtest.Declarations(t, baijiahao.Declaration, baijiahao.DefaultDeclaration, map[string]string{
		"": "含AI生成内容", "内容由AI生成": "含AI生成内容", "AI-generated content": "含AI生成内容", " 内容取材网络 ": "内容取材网络"})
}

func TestTitle(t *testing.T) {
	long := "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十多出来的"
	if got := baijiahao.Title("  " + long); got != long[:len(long)-len("多出来的")] || utf8.RuneCountInString(got) != 30 {
		t.Errorf("Title = %q, want the first 30 characters", got)
	}
}

// newDriver is the driver pointed at the fake at baseURL, with the waits
// bounded by to, lengthening the conformance suite's short titles.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return longTitles{baijiahao.New(baijiahao.Config{BaseURL: baseURL, Timeouts: to})}
}

// longTitles lengthens a title under Baijiahao's minimum with a suffix, in
// Publish and FindPublished alike.
type longTitles struct{ *baijiahao.Driver }

const titleSuffix = "——百家号测试视频"

func lengthen(title string) string {
	if utf8.RuneCountInString(title) < platform.CapabilitiesOf(platform.Baijiahao).TitleMin {
		return title + titleSuffix
	}
	return title
}

func (d longTitles) Publish(ctx context.Context, req platform.PublishRequest, p func(platform.Progress) error) (platform.PublishResult, error) {
	req.Title = lengthen(req.Title)
	return d.Driver.Publish(ctx, req, p)
}

func (d longTitles) FindPublished(ctx context.Context, req platform.PublishRequest) (platform.PublishResult, bool, error) {
	req.Title = lengthen(req.Title)
	return d.Driver.FindPublished(ctx, req)
}

// The form has no description or tags: a request with them is published
// without them, and the task is told rather than left to find out.
func TestDescriptionAndTagsDroppedWithAWarning(t *testing.T) {
	d := baijiahao.New(baijiahao.Config{BaseURL: "http://127.0.0.1:1", Timeouts: flowtest.Timeouts})
	var got []platform.Warning
	ctx := platform.WithWarner(t.Context(), func(_ context.Context, w platform.Warning) { got = append(got, w) })
	_, _ = d.Publish(ctx, platformtest.Request("描述和标签没有地方可填"), (&platformtest.Recorder{}).Func)
	if len(got) == 0 || got[0].Step != "fill" || !strings.Contains(got[0].Reason, "description or tags") {
		t.Fatalf("warnings %+v, want one saying the description and tags were not sent", got)
	}
}
