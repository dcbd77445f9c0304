package xiaohongshu_test

import (
	"slices"
	"strings"
	"testing"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/platform/xiaohongshu"
	"fanout/pkg/platform/xiaohongshu/xiaohongshutest"
)

// TestDriver runs the conformance suite and flow's cases (a refused
// request, a declaration the page does not offer, a title cut to 20
// characters, an upload that keeps failing, a login nobody scans) against
// the fake site, which takes only real pointer input, shows its QR code as
// an image URL, varies how a finished upload shows, shows the title only
// after the upload and forms a topic only from the list its '#' key opens.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Invalid: map[string]platform.PublishRequest{"DescriptionTooLong": flowtest.Request("正文太长", func(r *platform.PublishRequest) { r.Description = strings.Repeat("字", 1001) })},
		// Douyin's 内容取材网络; the list has no such entry.
		Refused: map[string]flowtest.Refusal{"UnofferedDeclaration": {
			Req: flowtest.Request("不存在的声明", func(r *platform.PublishRequest) { r.Declaration = "内容取材网络" }), Want: "来源转载"}},
		TitleLimit: 20,
		Title:      xiaohongshu.Title,
		Conformance: platformtest.Harness{
			Declaration:  "虚构演绎，仅供娱乐",
			SuccessToast: true,
			// The driver declares DefaultDeclaration unless asked; asked
			// for, SAU's 来源转载 must be there.
			DefaultOption: "declaration",
			Explicit:      func(req *platform.PublishRequest) { req.Declaration = "来源转载" },
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(xiaohongshutest.New),
	})
}

func TestPublishAtMostTenTopics(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	req := platformtest.Request("十个话题")
	req.Description = "正文"
	req.Tags = []string{"#一", "二 二", ""}
	for i := range 10 {
		req.Tags = append(req.Tags, "多余"+string(rune('a'+i)))
	}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	want := []string{"一", "二二", "多余a", "多余b", "多余c", "多余d", "多余e", "多余f", "多余g", "多余h"}
	if len(posts) != 1 || !slices.Equal(posts[0].Tags, want) || posts[0].Description != "正文" {
		t.Fatalf("posts = %+v, want description 正文 and topics %v", posts, want)
	}
}

func TestPublishDefaultDeclaration(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), platformtest.Request("默认声明"))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != xiaohongshu.DefaultDeclaration {
		t.Fatalf("posts = %+v, want the default declaration %s", posts, xiaohongshu.DefaultDeclaration)
	}
}

func TestPublishRepostDeclarationConfirmsMediaDialog(t *testing.T) {
	site := flowtest.Serve(t, xiaohongshutest.New)
	d := xiaohongshu.New(xiaohongshu.Config{BaseURL: site.URL(), Timeouts: flowtest.Timeouts, Declaration: "来源转载"})
	_, posts, err := flowtest.Publish(t, site, d, platformtest.Request("来源转载"))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != "来源转载" {
		t.Fatalf("posts = %+v, want the configured declaration 来源转载", posts)
	}
}

func TestDeclarationAliases(t *testing.T) {
	flowtest.Declarations(t, xiaohongshu.Declaration, xiaohongshu.DefaultDeclaration, map[string]string{"": xiaohongshu.DefaultDeclaration,
		"内容由AI生成": xiaohongshu.DefaultDeclaration, "AI-generated content": xiaohongshu.DefaultDeclaration, " 来源转载 ": "来源转载"})
}

func TestBaseURLIsOverridable(t *testing.T) {
	for _, tc := range []struct{ base, want string }{
		{"", "https://creator.xiaohongshu.com"},
		{"https://creator.rednote.com/", "https://creator.rednote.com"},
	} {
		d := xiaohongshu.New(xiaohongshu.Config{BaseURL: tc.base})
		login, pub := xiaohongshu.URLs(d)
		if login != tc.want+"/login" || pub != tc.want+"/publish/publish?from=homepage&target=video" {
			t.Errorf("BaseURL %q: login %s, publish %s", tc.base, login, pub)
		}
	}
}

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return xiaohongshu.New(xiaohongshu.Config{BaseURL: baseURL, Timeouts: to})
}
