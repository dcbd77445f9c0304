package flow_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/flow"
	"fanout/pkg/testenv"
)

var page = flow.NewPage("test", flow.Script{})

func TestValidate(t *testing.T) {
	now := time.Now()
	video := testenv.Testdata("sample.mp4")
	ok := platform.PublishRequest{Title: "标题", VideoPath: video}
	rules := flow.Rules{MaxScheduleLead: 14 * 24 * time.Hour, NoDrafts: "no drafts here"}
	if err := page.Validate(ok, now, rules); err != nil {
		t.Fatalf("Validate(valid) = %v", err)
	}
	scheduled := ok
	scheduled.ScheduleAt = now.Add(3 * time.Hour)
	if err := page.Validate(scheduled, now, rules); err != nil {
		t.Fatalf("Validate(in 3h) = %v", err)
	}
	far := ok
	far.ScheduleAt = now.Add(30 * 24 * time.Hour)
	if err := page.Validate(far, now, flow.Rules{}); err != nil {
		t.Errorf("Validate(in 30 days, no limit) = %v", err)
	}
	bad := map[string]func(r *platform.PublishRequest){
		"no video":      func(r *platform.PublishRequest) { r.VideoPath = "" },
		"missing video": func(r *platform.PublishRequest) { r.VideoPath = "/nonexistent.mp4" },
		"missing cover": func(r *platform.PublishRequest) { r.CoverPath = "/nonexistent.png" },
		"blank title":   func(r *platform.PublishRequest) { r.Title = "  " },
		"draft":         func(r *platform.PublishRequest) { r.Draft = true },
		"too soon":      func(r *platform.PublishRequest) { r.ScheduleAt = now.Add(time.Hour) },
		"too late":      func(r *platform.PublishRequest) { r.ScheduleAt = now.Add(15 * 24 * time.Hour) },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			req := ok
			mutate(&req)
			err := page.Validate(req, now, rules)
			if !errors.Is(err, platform.ErrInvalidRequest) || !strings.HasPrefix(err.Error(), "test: ") {
				t.Fatalf("Validate = %v, want a test: ... ErrInvalidRequest", err)
			}
		})
	}
	late := ok
	late.ScheduleAt = now.Add(15 * 24 * time.Hour)
	if err := page.Validate(late, now, rules); err == nil || !strings.Contains(err.Error(), "more than 14 days ahead") {
		t.Errorf("too late: %v, want it to name the 14 days", err)
	}
	// A scheduled draft is refused first, before the video is looked at.
	draft := platform.PublishRequest{Title: "标题", Draft: true, ScheduleAt: now.Add(3 * time.Hour)}
	if err := page.Validate(draft, now, flow.Rules{NoScheduledDrafts: "no scheduled drafts"}); !errors.Is(err, platform.ErrInvalidRequest) || !strings.Contains(err.Error(), "no scheduled drafts") {
		t.Errorf("scheduled draft: %v, want the rule's reason", err)
	}
	draft.ScheduleAt = time.Time{}
	if err := page.Validate(draft, now, flow.Rules{NoScheduledDrafts: "no scheduled drafts"}); err == nil || strings.Contains(err.Error(), "no scheduled drafts") {
		t.Errorf("unscheduled draft without a video: %v, want the missing video", err)
	}
}

func TestTagsAndTruncate(t *testing.T) {
	got := flow.Tags([]string{"#带井号", "＃全角", "有 空格", "", " # ", "四", "五"}, 4)
	if want := []string{"带井号", "全角", "有空格", "四"}; !slices.Equal(got, want) {
		t.Errorf("Tags = %q, want %q", got, want)
	}
	if got := flow.Truncate("一二三四五", 3); got != "一二三" {
		t.Errorf("Truncate = %q", got)
	}
	if got := flow.Truncate("短", 3); got != "短" {
		t.Errorf("Truncate(short) = %q", got)
	}
}

func TestDeclaration(t *testing.T) {
	aliases := map[string]string{"内容由AI生成": "含AI生成内容"}
	for _, c := range []struct{ decl, def, want string }{
		{"", " 默认 ", "默认"},
		{" 内容取材网络 ", "默认", "内容取材网络"},
		{"内容由AI生成", "默认", "含AI生成内容"},
		{"", "内容由AI生成", "含AI生成内容"},
		{"", "", ""},
	} {
		if got := flow.Declaration(c.decl, c.def, aliases); got != c.want {
			t.Errorf("Declaration(%q, %q) = %q, want %q", c.decl, c.def, got, c.want)
		}
	}
}

func TestSettingsWithDefaults(t *testing.T) {
	got := flow.Settings{BaseURL: "http://fake/", Timeouts: flow.Timeouts{Element: time.Second}}.
		WithDefaults(flow.Settings{BaseURL: "https://real", Declaration: "默认", Timeouts: flow.Timeouts{Upload: 20 * time.Minute}})
	if got.BaseURL != "http://fake" || got.Declaration != "默认" || got.UploadRetries != flow.DefaultUploadRetries || got.Location != flow.Beijing {
		t.Errorf("settings = %+v", got)
	}
	want := flow.DefaultTimeouts
	want.Element, want.Upload = time.Second, 20*time.Minute
	if got.Timeouts != want {
		t.Errorf("timeouts = %+v, want %+v", got.Timeouts, want)
	}
	def := flow.Settings{}.WithDefaults(flow.Settings{BaseURL: "https://real/"})
	if def.BaseURL != "https://real" || def.Declaration != "" || def.Timeouts != flow.DefaultTimeouts {
		t.Errorf("defaults = %+v", def)
	}
}
