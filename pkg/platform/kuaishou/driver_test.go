package kuaishou_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/browser"
	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/kuaishou"
	"fanout/pkg/platform/kuaishou/kuaishoutest"
	"fanout/pkg/platform/platformtest"
)

// TestDriver runs the conformance suite and flow's cases (a refused
// request, a declaration or collection the page does not offer, an upload
// that keeps failing, a login nobody scans) against the fake site.
// Kuaishou applies no default step (no declaration unless configured), so
// the suite's default-option cases do not run; TestOptionFailures covers a
// configured default.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Refused: map[string]flowtest.Refusal{
			"UnofferedDeclaration": {
				Req: flowtest.Request("不存在的声明", func(r *platform.PublishRequest) { r.Declaration = "没有这个选项" }), Want: "演绎情节，仅供娱乐"},
			"UnofferedCollection": {
				Req: flowtest.Request("不存在的合集", func(r *platform.PublishRequest) { r.Collection = "没有这个合集" }), Want: "旅行日记"},
		},
		Conformance: platformtest.Harness{
			Declaration:  "个人观点，仅供参考",
			SuccessToast: true,
		},
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(kuaishoutest.New),
	})
}

func TestPublishOnlyFirstThreeTags(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	req := platformtest.Request("话题测试")
	req.Description = "今天的视频"
	req.Tags = []string{"#带井号", "有 空格", "", "三", "第四个不会发"}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	want := []string{"带井号", "有空格", "三"}
	if len(posts) != 1 || !slices.Equal(posts[0].Tags, want) || posts[0].Description != req.Description || posts[0].Title != req.Title {
		t.Fatalf("posts = %+v, want title %q, description %q and tags %v", posts, req.Title, req.Description, want)
	}
	if got := kuaishou.Tags(req.Tags); !slices.Equal(got, want) {
		t.Errorf("Tags() = %v, want %v", got, want)
	}
}

func TestPublishWithoutDeclarationByDefault(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), platformtest.Request("默认不声明"))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != "" {
		t.Fatalf("posts = %+v, want one without a declaration", posts)
	}
}

func TestPublishConfiguredDeclaration(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	d := kuaishou.New(kuaishou.Config{BaseURL: site.URL(), PassportURL: site.URL(), Timeouts: flowtest.Timeouts, Declaration: "内容为AI生成"})
	_, posts, err := flowtest.Publish(t, site, d, platformtest.Request("配置的声明"))
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != "内容为AI生成" {
		t.Fatalf("posts = %+v, want the configured declaration 内容为AI生成", posts)
	}
}

func TestPublishOtherPlatformsAIWording(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	req := platformtest.Request("抖音的AI声明")
	req.Declaration = "内容由AI生成"
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), flowtest.Timeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || posts[0].Declaration != "内容为AI生成" {
		t.Fatalf("posts = %+v, want Kuaishou's 内容为AI生成", posts)
	}
}

func TestDeclarationAliases(t *testing.T) {
	flowtest.Declarations(t, kuaishou.Declaration, "", map[string]string{"": "", "含AI生成内容": "内容为AI生成", " 内容取材网络 ": "素材来源于网络", "个人观点，仅供参考": "个人观点，仅供参考"})
	if got := kuaishou.Declaration("", "内容由AI生成"); got != "内容为AI生成" {
		t.Errorf("Declaration of a configured default = %q", got)
	}
}

// TestScheduleInputIgnoresPlainAssignment checks that the fake models the
// readonly, React-controlled date input: a plain value assignment does not
// reach the form (the page then complains on Enter), which is why the driver
// uses the native value setter; the Video case of the suite shows that works.
func TestScheduleInputIgnoresPlainAssignment(t *testing.T) {
	site := flowtest.Serve(t, kuaishoutest.New)
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	openForm(t, ctx, site.URL())
	if err := browser.WaitExists(ctx, 3*time.Second, "form", `input[value="schedule"]`); err != nil {
		t.Fatal(err)
	}
	// Pointer clicks: the fake ignores a script's (TrustedInput).
	for _, el := range []string{`label.ant-radio-wrapper:last-child`, `input[placeholder="选择日期时间"]`} {
		if err := browser.ClickJS(ctx, "click", el, `document.querySelector(`+browser.JS(el)+`)`); err != nil {
			t.Fatal(err)
		}
	}
	readonly, err := browser.Eval[bool](ctx, `(() => { const el = document.querySelector('input[placeholder="选择日期时间"]');
el.value = '2030-01-02 10:00:00';
el.dispatchEvent(new Event('input', {bubbles: true}));
return el.readOnly && document.activeElement === el; })()`)
	if err != nil || !readonly {
		t.Fatalf("date input readonly and focused = %v, %v; want true", readonly, err)
	}
	if err := browser.Press(ctx, browser.KeyEnter); err != nil {
		t.Fatal(err)
	}
	if err := browser.WaitText(ctx, 3*time.Second, "message", ".ant-message-notice-content", "请选择正确的发布时间"); err != nil {
		t.Errorf("a plainly assigned schedule was accepted by the form: %v", err)
	}
}

func TestDefaultsAreTheRealHosts(t *testing.T) {
	// The zero Config drives the real site; nothing else names a host.
	d := kuaishou.New(kuaishou.Config{})
	if d.Name() != platform.Kuaishou {
		t.Errorf("Name() = %q", d.Name())
	}
	if !strings.HasPrefix(kuaishou.LoginURL(d), "https://passport.kuaishou.com/pc/account/login/?sid=kuaishou.web.cp.api&callback=https%3A%2F%2Fcp.kuaishou.com%2Frest%2Finfra%2Fsts") {
		t.Errorf("login URL = %s", kuaishou.LoginURL(d))
	}
}

// newDriver points both the creator site and the passport at the fake at
// baseURL, which serves them on one base URL, with the waits bounded by to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return kuaishou.New(kuaishou.Config{BaseURL: baseURL, PassportURL: baseURL, Timeouts: to})
}
