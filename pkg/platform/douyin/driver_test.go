package douyin_test

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
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
			"UnknownCollection":  {Req: flowtest.Request("合集不存在", func(r *platform.PublishRequest) { r.Collection = "不存在的合集" }), Want: "不存在的合集"},
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

// publishCtx publishes req with a fresh driver in a tab logged in to site,
// its context changed by wrap (a warner, an asker), and returns the error
// and the posts the site recorded.
func publishCtx(t *testing.T, site *douyintest.Site, req platform.PublishRequest, wrap func(context.Context) context.Context) ([]douyintest.Post, error) {
	t.Helper()
	ctx := wrap(platformtest.NewTab(t, site.SessionCookies(), 60*time.Second))
	_, err := newDriver(site.URL(), flowtest.Timeouts).Publish(ctx, req, (&platformtest.Recorder{}).Func)
	return site.Published(), err
}

// collectWarnings returns a wrap for publishCtx that records the steps
// warned about into steps.
func collectWarnings(steps *[]string) func(context.Context) context.Context {
	var mu sync.Mutex
	return func(ctx context.Context) context.Context {
		return platform.WithWarner(ctx, func(_ context.Context, w platform.Warning) {
			mu.Lock()
			defer mu.Unlock()
			*steps = append(*steps, w.Step)
		})
	}
}

// TestPublishWithoutCoverAppliesRecommendedCover: the site refuses a publish
// without a cover (请设置封面后再发布); the driver applies the first
// recommended frame, confirms it and publishes, and the refusal is no
// rejection.
func TestPublishWithoutCoverAppliesRecommendedCover(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	var warned []string
	posts, err := publishCtx(t, site, platformtest.Request("推荐封面"), collectWarnings(&warned))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].RecommendedCover != 1 || posts[0].CoverSHA256 != "" {
		t.Fatalf("posts = %+v, want one with the first recommended cover", posts)
	}
	if len(warned) != 0 {
		t.Errorf("warnings %v, want none", warned)
	}
}

// TestPublishCoverUsesTheTabOfItsShape: the cover is set through the hovered
// entry, under the tab that fits the image (横 for a wide one, 竖 else), and
// the confirmation after 完成 is answered.
func TestPublishCoverUsesTheTabOfItsShape(t *testing.T) {
	for _, tc := range []struct {
		name, path, want string
	}{
		{"Landscape", testenv.Testdata("cover.png"), "landscape"}, // 320×240
		{"Portrait", portraitPNG(t), "portrait"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := flowtest.Serve(t, douyintest.New)
			req := platformtest.Request("封面" + tc.name)
			req.CoverPath = tc.path
			posts, err := publishCtx(t, site, req, func(ctx context.Context) context.Context { return ctx })
			if err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if len(posts) != 1 || posts[0].CoverOrientation != tc.want || posts[0].RecommendedCover != 0 ||
				posts[0].CoverSHA256 != platformtest.FileSHA256(t, tc.path) {
				t.Fatalf("posts = %+v, want one with the %s cover", posts, tc.want)
			}
		})
	}
}

// portraitPNG writes a 240×320 PNG and returns its path.
func portraitPNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 240, 320))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	path := filepath.Join(t.TempDir(), "portrait.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPublishCollectionAndSync: the asked-for collection is picked by name
// and the 头条/西瓜 sync is turned on.
func TestPublishCollectionAndSync(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	req := platformtest.Request("合集")
	req.Collection = "美食探店"
	posts, err := publishCtx(t, site, req, func(ctx context.Context) context.Context { return ctx })
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Collection != req.Collection || !posts[0].SyncToutiao {
		t.Fatalf("posts = %+v, want one in %s with the sync on", posts, req.Collection)
	}
}

// TestPublishMissingSyncSwitchWarns: the sync is a default, so a page
// without its switch publishes with one warning.
func TestPublishMissingSyncSwitchWarns(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	site.BreakOption("sync", true)
	var warned []string
	posts, err := publishCtx(t, site, platformtest.Request("没有同步开关"), collectWarnings(&warned))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].SyncToutiao {
		t.Fatalf("posts = %+v, want one without the sync", posts)
	}
	if !slices.Equal(warned, []string{"sync"}) {
		t.Errorf("warnings %v, want one for sync", warned)
	}
}

// TestPublishAskedForStepFailureNamesIt: a collection or a cover the request
// asks for that cannot be set fails the publish naming the step.
func TestPublishAskedForStepFailureNamesIt(t *testing.T) {
	for _, tc := range []struct {
		option string
		edit   func(*platform.PublishRequest)
	}{
		{"collection", func(r *platform.PublishRequest) { r.Collection = "旅行日记" }},
		{"cover", func(r *platform.PublishRequest) { r.CoverPath = testenv.Testdata("cover.png") }},
	} {
		t.Run(tc.option, func(t *testing.T) {
			site := flowtest.Serve(t, douyintest.New)
			site.BreakOption(tc.option, true)
			req := platformtest.Request("指定" + tc.option)
			tc.edit(&req)
			posts, err := publishCtx(t, site, req, func(ctx context.Context) context.Context { return ctx })
			if err == nil || !strings.Contains(err.Error(), tc.option) {
				t.Fatalf("Publish = %v, want a failure naming %s", err, tc.option)
			}
			if len(posts) != 0 {
				t.Errorf("posts = %+v, want none", posts)
			}
		})
	}
}

// TestVerificationWrongCodeAsksAgain: a wrong SMS code leaves the dialog
// with an error, the person is asked again, and the right code publishes
// once (then the missing cover is answered too).
func TestVerificationWrongCodeAsksAgain(t *testing.T) {
	site := flowtest.Serve(t, douyintest.New)
	site.RequireVerification("135790")
	var prompts []platform.Prompt
	posts, err := publishCtx(t, site, platformtest.Request("验证码输错"), func(ctx context.Context) context.Context {
		return platform.WithAsker(ctx, func(_ context.Context, p platform.Prompt) (platform.Answer, error) {
			prompts = append(prompts, p)
			if len(prompts) == 1 {
				return platform.Answer{Code: "000000"}, nil
			}
			return platform.Answer{Code: site.VerificationCode()}, nil
		})
	})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].RecommendedCover != 1 {
		t.Fatalf("posts = %+v, want one, with the recommended cover", posts)
	}
	if len(prompts) != 2 || prompts[0].Kind != platform.VerifySMSCode || !strings.Contains(prompts[0].Text, "短信验证") ||
		!strings.Contains(prompts[1].Text, "验证码错误") {
		t.Fatalf("prompts = %+v, want two SMS prompts, the second showing the error", prompts)
	}
}
