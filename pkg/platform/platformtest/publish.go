package platformtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// Request returns a publish request for the test video with title, no cover
// and no schedule.
func Request(title string) platform.PublishRequest {
	return platform.PublishRequest{
		VideoPath:   testenv.Testdata("sample.mp4"),
		Title:       title,
		Description: "Fanout 自动发布测试",
		Tags:        []string{"fanout", "测试"},
	}
}

// Recorder collects progress reports; its Func is the onProgress argument.
type Recorder struct {
	Reports []platform.Progress
	// OnStep, when set, runs for every report (to turn a knob mid-publish).
	OnStep func(platform.Progress)
}

// Func records p and calls OnStep.
func (r *Recorder) Func(p platform.Progress) error {
	r.Reports = append(r.Reports, p)
	if r.OnStep != nil {
		r.OnStep(p)
	}
	return nil
}

// Steps returns the reported steps with repeats collapsed.
func (r *Recorder) Steps() []platform.Step {
	var out []platform.Step
	for _, p := range r.Reports {
		if len(out) == 0 || out[len(out)-1] != p.Step {
			out = append(out, p.Step)
		}
	}
	return out
}

// FileSHA256 returns the hex SHA-256 of the file at path.
func FileSHA256(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func exercisePublish(t *testing.T, h Harness) {
	t.Run("Video", func(t *testing.T) {
		s := newSetup(t, h, true)
		req := Request("春天的第一场雨")
		req.Description = "窗外的雨声"
		req.Tags = []string{"春天", "vlog"}
		req.CoverPath = testenv.Testdata("cover.png")
		// A platform without declarations refuses one (Capabilities).
		if platform.CapabilitiesOf(s.driver.Name()).Declarations {
			req.Declaration = "内容取材网络"
			if h.Declaration != "" {
				req.Declaration = h.Declaration
			}
		}
		if platform.CapabilitiesOf(s.driver.Name()).Schedule {
			req.ScheduleAt = time.Now().Add(3 * time.Hour).Truncate(max(h.ScheduleStep, time.Minute))
		}
		if h.Video != nil {
			h.Video(&req)
		}
		var rec Recorder
		res, err := s.driver.Publish(s.ctx, req, rec.Func)
		if err != nil {
			t.Fatalf("Publish: %v (steps %v)", err, rec.Steps())
		}
		if res.URL == "" {
			t.Errorf("PublishResult.URL is empty")
		}
		want := []platform.Step{platform.StepOpened, platform.StepUploading, platform.StepUploaded,
			platform.StepFilled, platform.StepSubmitted, platform.StepPublished}
		if got := rec.Steps(); !slices.Equal(got, want) {
			t.Errorf("steps = %v, want %v", got, want)
		}
		for _, p := range rec.Reports {
			if p.Percent < 0 || p.Percent > 100 {
				t.Errorf("progress %v: percent out of range", p)
			}
		}
		p := onePost(t, s.site)
		check := func(field string, got, want any) {
			t.Helper()
			if got != want {
				t.Errorf("post %s = %v, want %v", field, got, want)
			}
		}
		check("Title", p.Title, req.Title)
		check("Description", p.Description, req.Description)
		check("Tags", strings.Join(p.Tags, ","), strings.Join(req.Tags, ","))
		check("Declaration", p.Declaration, req.Declaration)
		check("VideoSHA256", p.VideoSHA256, FileSHA256(t, req.VideoPath))
		check("CoverSHA256", p.CoverSHA256, FileSHA256(t, req.CoverPath))
		if fi, err := os.Stat(req.VideoPath); err == nil {
			check("VideoSize", p.VideoSize, fi.Size())
		}
		if !p.ScheduleAt.Equal(req.ScheduleAt) {
			t.Errorf("post ScheduleAt = %v, want %v", p.ScheduleAt, req.ScheduleAt)
		}
	})

	t.Run("LoggedOutIsLoginRequired", func(t *testing.T) {
		s := newSetup(t, h, false)
		_, err := s.driver.Publish(s.ctx, Request("未登录"), (&Recorder{}).Func)
		if !errors.Is(err, platform.ErrLoginRequired) {
			t.Fatalf("Publish = %v, want ErrLoginRequired", err)
		}
		noPosts(t, s.site)
	})

	t.Run("SessionExpiredBeforeSubmitIsLoginRequired", func(t *testing.T) {
		s := newSetup(t, h, true)
		rec := Recorder{OnStep: func(p platform.Progress) {
			if p.Step == platform.StepFilled {
				s.site.ExpireSessions()
			}
		}}
		_, err := s.driver.Publish(s.ctx, Request("会话过期"), rec.Func)
		if !errors.Is(err, platform.ErrLoginRequired) {
			t.Fatalf("Publish = %v, want ErrLoginRequired", err)
		}
		noPosts(t, s.site)
	})

	t.Run("RejectedIsPermanent", func(t *testing.T) {
		s := newSetup(t, h, true)
		const reason = "作品涉嫌违反社区规范"
		s.site.RejectNext(reason)
		var rec Recorder
		_, err := s.driver.Publish(s.ctx, Request("会被拒绝的作品"), rec.Func)
		if !errors.Is(err, platform.ErrRejected) {
			t.Fatalf("Publish = %v, want ErrRejected", err)
		}
		if !strings.Contains(err.Error(), reason) {
			t.Errorf("error %q does not carry the platform's reason %q", err, reason)
		}
		if !slices.Contains(rec.Steps(), platform.StepSubmitted) {
			t.Errorf("steps %v: StepSubmitted not reported before the publish click", rec.Steps())
		}
		noPosts(t, s.site)
	})

	t.Run("UploadFailureRetriedInPage", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.FailNextUpload()
		req := Request("上传失败后重试")
		if _, err := s.driver.Publish(s.ctx, req, (&Recorder{}).Func); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if p := onePost(t, s.site); p.VideoSHA256 != FileSHA256(t, req.VideoPath) {
			t.Errorf("post video sha256 = %s, want the test video's", p.VideoSHA256)
		}
	})

	t.Run("SlowConfirmationPageStillSucceeds", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.SetDelay(fakesite.DelayManage, 2*time.Second)
		var rec Recorder
		if _, err := s.driver.Publish(s.ctx, Request("确认页很慢"), rec.Func); err != nil {
			t.Fatalf("Publish: %v (steps %v)", err, rec.Steps())
		}
		if got := rec.Steps(); got[len(got)-1] != platform.StepPublished {
			t.Errorf("steps = %v, want to end with %s", got, platform.StepPublished)
		}
		onePost(t, s.site)
	})

	t.Run("HonorsContextCancel", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.SetDelay(fakesite.DelayUpload, time.Minute)
		ctx, cancel := context.WithCancel(s.ctx)
		defer cancel()
		var cancelled time.Time
		rec := Recorder{OnStep: func(p platform.Progress) {
			// Cancel while the page shows the upload in progress.
			if p.Step == platform.StepUploading && p.Percent > 0 && cancelled.IsZero() {
				cancelled = time.Now()
				cancel()
			}
		}}
		_, err := s.driver.Publish(ctx, Request("取消"), rec.Func)
		if cancelled.IsZero() {
			t.Fatalf("Publish = %v before reporting StepUploading", err)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Publish = %v, want context.Canceled", err)
		}
		if d := time.Since(cancelled); d > 3*time.Second {
			t.Errorf("Publish returned %s after the cancel, want promptly", d)
		}
		noPosts(t, s.site)
	})

	t.Run("MissingSelectorFailsFast", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.BreakLayout(true)
		start := time.Now()
		_, err := s.driver.Publish(s.ctx, Request("页面改版"), (&Recorder{}).Func)
		var se *web.SelectorError
		if !errors.As(err, &se) {
			t.Fatalf("Publish = %v, want a *web.SelectorError", err)
		}
		if se.Step == "" || se.Selector == "" {
			t.Errorf("SelectorError %+v does not name the step and the selector", se)
		}
		if d := time.Since(start); d > h.Timeout/2 {
			t.Errorf("Publish took %s to notice the missing element", d)
		}
		noPosts(t, s.site)
	})
}

func exerciseFind(t *testing.T, h Harness) {
	s := newSetup(t, h, true)
	req := Request("用来查找的作品")
	if _, err := s.driver.Publish(s.ctx, req, (&Recorder{}).Func); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	res, found, err := s.driver.FindPublished(s.ctx, req)
	if err != nil || !found {
		t.Fatalf("FindPublished(published) = %v, %v; want found", found, err)
	}
	if !res.Verified {
		t.Errorf("FindPublished result not marked Verified: %+v", res)
	}
	_, found, err = s.driver.FindPublished(s.ctx, Request("从未发布过的标题"))
	if err != nil || found {
		t.Errorf("FindPublished(unknown) = %v, %v; want not found", found, err)
	}
}

func onePost(t *testing.T, s Site) Post {
	t.Helper()
	posts := s.Published()
	if len(posts) != 1 {
		t.Fatalf("site recorded %d posts, want 1: %+v", len(posts), posts)
	}
	return posts[0]
}

func noPosts(t *testing.T, s Site) {
	t.Helper()
	if posts := s.Published(); len(posts) != 0 {
		t.Errorf("site recorded %d posts, want none: %+v", len(posts), posts)
	}
}
