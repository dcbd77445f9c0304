package channels_test

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fanout/pkg/platform"
	"fanout/pkg/platform/channels"
	"fanout/pkg/platform/channels/channelstest"
	"fanout/pkg/platform/flow"
	"fanout/pkg/platform/flow/flowtest"
	"fanout/pkg/platform/platformtest"
)

// TestDriver runs the conformance suite and flow's cases (a refused
// request, a schedule off the hour, a label the page does not offer, an
// upload that keeps failing, a login nobody scans) against the fake site.
func TestDriver(t *testing.T) {
	flowtest.Exercise(t, flowtest.Harness{
		Invalid: map[string]platform.PublishRequest{"ScheduledDraft": flowtest.Request("定时草稿", func(r *platform.PublishRequest) { r.Draft, r.ScheduleAt = true, time.Now().Add(3*time.Hour) }), "NoTitle": platformtest.Request(" ")},
		Refused: map[string]flowtest.Refusal{
			"ScheduleOffTheHour": {Req: flowtest.Request("定时不是整点", func(r *platform.PublishRequest) {
				r.ScheduleAt = time.Now().Add(5 * time.Hour).Truncate(time.Hour).Add(30 * time.Minute)
			})},
			// Douyin's wording; 视频号 punctuates it.
			"UnofferedDeclaration": {Req: flowtest.Request("不存在的标注", func(r *platform.PublishRequest) { r.Declaration = "危险行为请勿模仿" }), Want: "危险行为，请勿模仿"},
		},
		Conformance: platformtest.Harness{
			// The site's picker sets a day and an hour, no minutes.
			ScheduleStep:  time.Hour,
			SuccessToast:  true,
			DefaultOption: "declaration",
			Explicit:      func(r *platform.PublishRequest) { r.Declaration = "内容取材网络" },
			// The fake's 实名验证 dialog takes the code the asker answers
			// with as the phone's confirmation (see channelstest).
			Verification: platform.VerifyRealName,
		},
		Timeouts:  testTimeouts,
		NewDriver: newDriver,
		NewSite:   flowtest.Sites(channelstest.New),
	})
}

// testTimeouts are short so the failure cases end in seconds; the form
// shows at once on the fake.
var testTimeouts = func() flow.Timeouts {
	to := flowtest.Timeouts
	to.Form = 5 * time.Second
	return to
}()

func TestShortTitle(t *testing.T) {
	for _, tc := range []struct{ short, title, want string }{
		{"", "春天的第一场雨，真好看", "春天的第一场雨真好看"},
		{"", "Hello, world!", "Hello world"},
		{"", "春雨", "春雨，精彩内容分享"},
		{"", "《三体》第一集：危机纪元开始了吗?真的吗", "《三体》第一集危机纪元开始了吗"},
		{"", strings.Repeat("长", 20), strings.Repeat("长", 15)},
		{"自己写的短标题", "标题", "自己写的短标题"},
		{"  短 ", "很长很长的标题不会被用到", "短，精彩内容分享"},
		{"", "🎉🎉", "，精彩内容分享"},
	} {
		got := channels.ShortTitle(tc.short, tc.title)
		if got != tc.want {
			t.Errorf("ShortTitle(%q, %q) = %q, want %q", tc.short, tc.title, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n < 7 || n > 15 {
			t.Errorf("ShortTitle(%q, %q) = %q has %d characters, want 7–15", tc.short, tc.title, got, n)
		}
	}
}

func TestPublishShortTitleTagsAndDefaultDeclaration(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	req := platformtest.Request("春雨")
	req.Description = "今天的视频"
	req.Tags = []string{"#带井号", "有 空格", "", "三"}
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), testTimeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 {
		t.Fatalf("posts = %+v, want 1", posts)
	}
	p := posts[0]
	if p.ShortTitle != "春雨，精彩内容分享" {
		t.Errorf("short title = %q, want the padded title", p.ShortTitle)
	}
	if p.Title != "春雨" || p.Description != "今天的视频" || !slices.Equal(p.Tags, []string{"带井号", "有空格", "三"}) {
		t.Errorf("post = %+v, want title 春雨, description and cleaned tags", p)
	}
	if p.Declaration != channels.DefaultDeclaration || p.Draft {
		t.Errorf("declaration %q draft %v, want the default %q and a publish", p.Declaration, p.Draft, channels.DefaultDeclaration)
	}
}

func TestPublishDraftClicksSaveDraft(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	req := platformtest.Request("存成草稿的视频")
	req.ShortTitle = "草稿短标题测试"
	req.Draft = true
	req.Declaration = "个人观点，仅供参考"
	res, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), testTimeouts), req)
	if err != nil {
		t.Fatalf("Publish(draft): %v", err)
	}
	if len(posts) != 1 || !posts[0].Draft || posts[0].ShortTitle != req.ShortTitle || posts[0].Declaration != req.Declaration {
		t.Fatalf("posts = %+v, want one draft with the short title and declaration", posts)
	}
	if !strings.Contains(res.URL, "/platform/post/list") {
		t.Errorf("result URL = %q, want the post list", res.URL)
	}
	// The draft is on the post list, so a retry finds it.
	ctx := platformtest.NewTab(t, site.SessionCookies(), 30*time.Second)
	if _, found, err := newDriver(site.URL(), testTimeouts).FindPublished(ctx, req); err != nil || !found {
		t.Errorf("FindPublished(draft) = %v, %v; want found", found, err)
	}
}

// Channels sets no limit on how far ahead (capabilities), so a date 40 days
// out is always in a later month, where the picker must turn its page.
func TestPublishScheduleInALaterMonth(t *testing.T) {
	site := flowtest.Serve(t, channelstest.New)
	req := platformtest.Request("下个月定时发表")
	at := time.Now().AddDate(0, 0, 40)
	req.ScheduleAt = time.Date(at.Year(), at.Month(), at.Day(), 9, 0, 0, 0, time.Local)
	_, posts, err := flowtest.Publish(t, site, newDriver(site.URL(), testTimeouts), req)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if len(posts) != 1 || !posts[0].ScheduleAt.Equal(req.ScheduleAt) {
		t.Fatalf("posts = %+v, want one scheduled at %v", posts, req.ScheduleAt)
	}
}

func TestDeclarationAliases(t *testing.T) {
	flowtest.Declarations(t, channels.Declaration, channels.DefaultDeclaration, map[string]string{"": channels.DefaultDeclaration, "内容由AI生成": "含AI生成内容", " 内容取材网络 ": "内容取材网络"})
}

// newDriver points the driver at the fake at baseURL, its waits bounded by
// to.
func newDriver(baseURL string, to flow.Timeouts) platform.Driver {
	return channels.New(channels.Config{BaseURL: baseURL, Timeouts: to})
}
