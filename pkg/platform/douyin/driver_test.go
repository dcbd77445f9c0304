package douyin_test

import (
	"slices"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
)

// TestDriver runs the conformance suite and flow's cases (a refused
// request, an unknown product, a title cut to 30 characters, an upload that
// keeps failing, a login nobody scans) against the fake site.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Invalid: map[string]platform.PublishRequest{"Draft": flowtest.Request("草稿", func(r *platform.PublishRequest) { r.Draft = true })},
		Refused: map[string]flowtest.Refusal{
			"UnknownProduct": {Req: flowtest.Request("商品不存在", func(r *platform.PublishRequest) {
				r.ProductLink, r.ProductTitle = "https://example.com/notfound", "无"
			})},
			"UnknownCollection": {Req: flowtest.Request("合集不存在", func(r *platform.PublishRequest) { r.Collection = "不存在的合集" }), Want: "不存在的合集"},
			"UnknownDeclaration": {Req: flowtest.Request("声明不存在", func(r *platform.PublishRequest) { r.Declaration = "不存在的声明" }), Want: "不存在的声明"},
		},
		Conformance: platformtest.Harness{
			SuccessToast:  true,
			DefaultOption: "declaration",
			Explicit:      func(r *platform.PublishRequest) { r.Declaration = "内容取材网络" },
			Verification:  platform.VerifySMSCode,
		},
		TitleLimit: 30,
		Title:      douyin.Title,
		NewDriver:  newDriver,
		NewSite:    flowtest.Sites(douyintest.New),
	})
}

func TestPublishTagsTypedAsHashtags(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	req := platformtest.Request("话题测试")
	req.Description = "今天的视频"
	req.Tags = []string{"#带井号", "有 空格", "", "三", "四", "五", "第六个超出上限"}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	wantTags := []string{"带井号", "有空格", "三", "四", "五"}
	if len(posts) != 1 || !slices.Equal(posts[0].Tags, wantTags) || posts[0].Description != req.Description {
		t.Fatalf("posts = %+v, want description %q and tags %v", posts, req.Description, wantTags)
	}
}

func TestPublishDefaultDeclarationAndProductLink(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	req := platformtest.Request("默认声明和购物车")
	req.ProductLink = "https://haohuo.jinritemai.com/views/product/item2?id=123"
	req.ProductTitle = "超过十个字的商品短标题会被截断"
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	p := posts[0]
	if p.Declaration != "内容由AI生成" {
		t.Errorf("declaration = %q, want the default 内容由AI生成", p.Declaration)
	}
	if p.ProductLink != req.ProductLink || p.ProductTitle != string([]rune(req.ProductTitle)[:10]) {
		t.Errorf("product = %q %q, want %q and a 10-character title", p.ProductLink, p.ProductTitle, req.ProductLink)
	}
}

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return douyin.New(douyin.Config{BaseURL: baseURL, Timeouts: to})
}
