package bilibili_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/platform/bilibili"
	"fanout/pkg/platform/bilibili/bilibilitest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/platform/platformtest"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// The conformance suite (platformtest.Exercise) drives a browser tab; this
// driver has none, so its cases are adapted here: the same behaviours
// (login by QR scan, check valid and logged out, publish with every field
// asserted on the fake's record, a failed upload part retried, logged out
// → ErrLoginRequired, a refusal, verify-before-retry, cancel) with an
// HTTPSession in place of the tab. platformtest's Recorder, Request and
// FileSHA256 are shared.

// setup is one case's fake, driver and session.
type setup struct {
	site   *bilibilitest.Site
	driver *bilibili.Driver
	sess   *platform.HTTPSession
	ctx    context.Context
}

func newSetup(t *testing.T, cookies []web.Cookie) *setup {
	t.Helper()
	site := fakesite.Serve(t, bilibilitest.New(fakesite.Options{QRLifetime: time.Minute}))
	d := bilibili.New(bilibili.Config{BaseURL: site.URL(), PassportURL: site.URL(), APIURL: site.URL(),
		PollInterval: 20 * time.Millisecond, LoginTimeout: 10 * time.Second, RetryBase: 10 * time.Millisecond,
		Timeout: 5 * time.Second, ChunkTimeout: 5 * time.Second})
	sess := platform.NewHTTPSession(nil, cookies)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return &setup{site: site, driver: d, sess: sess, ctx: platform.WithHTTPSession(ctx, sess)}
}

// loggedIn is a setup holding the cookies and tokens of a real QR login.
func loggedIn(t *testing.T) *setup {
	t.Helper()
	s := newSetup(t, nil)
	if err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
		if c.Phase == platform.PhaseQRCode {
			return s.site.Scan(true)
		}
		return nil
	}); err != nil {
		t.Fatalf("Login: %v", err)
	}
	return s
}

func cookieNames(cs []web.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestLogin(t *testing.T) {
	t.Run("ShowsQRThenSucceedsAfterScan", func(t *testing.T) {
		s := newSetup(t, nil)
		var phases []platform.Phase
		err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
			phases = append(phases, c.Phase)
			switch c.Phase {
			case platform.PhaseQRCode:
				if !strings.HasPrefix(c.QRCode, "data:image/png;base64,") {
					t.Errorf("QRCode = %.40q, want a PNG data URL", c.QRCode)
				}
				// The phone scans over HTTP, as the demo does, without confirming.
				fakesite.Call(t, fakesite.Client(t), "POST", s.site.URL()+"/__fake__/scan?confirm=0", nil)
			case platform.PhaseScanned:
				if err := s.site.Scan(true); err != nil {
					t.Errorf("Scan(true): %v", err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Login: %v (phases %v)", err, phases)
		}
		if want := []platform.Phase{platform.PhaseQRCode, platform.PhaseScanned, platform.PhaseSucceeded}; !slices.Equal(phases, want) {
			t.Errorf("phases = %v, want %v", phases, want)
		}
		names := cookieNames(s.sess.Cookies())
		for _, want := range []string{"SESSDATA", "bili_jct", "DedeUserID", "fanout_bili_access_token", "fanout_bili_refresh_token"} {
			if !slices.Contains(names, want) {
				t.Errorf("cookies after login %v lack %s", names, want)
			}
		}
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || !ok {
			t.Errorf("CheckLogin after Login = %v, %v; want true", ok, err)
		}
	})
	t.Run("ExpiredQRIsRefreshed", func(t *testing.T) {
		s := newSetup(t, nil)
		var phases []platform.Phase
		var codes []string
		err := s.driver.Login(s.ctx, func(c platform.Challenge) error {
			phases = append(phases, c.Phase)
			if c.Phase == platform.PhaseQRCode {
				codes = append(codes, c.QRCode)
				if len(codes) == 1 {
					s.site.ExpireQR()
					return nil
				}
				return s.site.Scan(true)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("Login: %v (phases %v)", err, phases)
		}
		if len(codes) != 2 || codes[0] == codes[1] || !slices.Contains(phases, platform.PhaseExpired) {
			t.Errorf("phases %v with %d codes: want an expired code replaced by a new one", phases, len(codes))
		}
	})
	t.Run("NobodyScansIsLoginTimeout", func(t *testing.T) {
		s := newSetup(t, nil)
		d := bilibili.New(bilibili.Config{BaseURL: s.site.URL(), PassportURL: s.site.URL(), APIURL: s.site.URL(),
			PollInterval: 20 * time.Millisecond, LoginTimeout: 300 * time.Millisecond})
		err := d.Login(s.ctx, func(platform.Challenge) error { return nil })
		if !errors.Is(err, platform.ErrLoginTimeout) {
			t.Fatalf("Login = %v, want ErrLoginTimeout", err)
		}
	})
}

func TestCheckLogin(t *testing.T) {
	t.Run("ImportedCookies", func(t *testing.T) {
		s := newSetup(t, nil)
		s.sess.SetCookies(s.site.SessionCookies())
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || !ok {
			t.Errorf("CheckLogin = %v, %v; want true", ok, err)
		}
	})
	t.Run("NoCookies", func(t *testing.T) {
		s := newSetup(t, nil)
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || ok {
			t.Errorf("CheckLogin = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("FalseAfterSessionExpired", func(t *testing.T) {
		s := loggedIn(t)
		s.site.ExpireSessions()
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || ok {
			t.Errorf("CheckLogin = %v, %v; want false, nil", ok, err)
		}
	})
	t.Run("RefreshesTheToken", func(t *testing.T) {
		s := loggedIn(t)
		var persisted []web.Cookie
		s.sess.OnRefresh = func(c []web.Cookie) { persisted = c }
		before := s.sess.Cookies()
		s.site.AskRefresh(true)
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || !ok {
			t.Fatalf("CheckLogin = %v, %v; want true", ok, err)
		}
		if s.site.Refreshes() != 1 {
			t.Fatalf("refreshes = %d, want 1", s.site.Refreshes())
		}
		after := s.sess.Cookies()
		if value(after, "fanout_bili_access_token") == value(before, "fanout_bili_access_token") ||
			value(after, "SESSDATA") == value(before, "SESSDATA") {
			t.Errorf("the refresh did not replace the token and cookies")
		}
		if value(persisted, "SESSDATA") != value(after, "SESSDATA") {
			t.Errorf("OnRefresh did not get the new cookies")
		}
		// The rotated credentials work, the old token does not.
		if ok, err := s.driver.CheckLogin(s.ctx); err != nil || !ok {
			t.Errorf("CheckLogin with refreshed cookies = %v, %v", ok, err)
		}
		if ok, _ := s.driver.CheckLogin(platform.WithHTTPSession(s.ctx, platform.NewHTTPSession(nil, before))); ok {
			t.Errorf("the replaced token still passes")
		}
	})
}

func value(cs []web.Cookie, name string) string {
	for _, c := range cs {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// fullRequest asks for every field the platform takes.
func fullRequest() platform.PublishRequest {
	// 90 characters: the site keeps 80, counted in characters, not bytes.
	req := platformtest.Request("春天的第一场雨" + strings.Repeat("雨", 83))
	req.Description = "窗外的雨声"
	req.Tags = []string{"春天", "vlog", "#雨"}
	req.CoverPath = testenv.Testdata("cover.png")
	req.Category = "科学科普"
	req.ScheduleAt = time.Now().Add(3 * time.Hour).Truncate(time.Second)
	return req
}

func TestPublish(t *testing.T) {
	t.Run("EveryField", func(t *testing.T) {
		s := loggedIn(t)
		req := fullRequest()
		var rec platformtest.Recorder
		res, err := s.driver.Publish(s.ctx, req, rec.Func)
		if err != nil {
			t.Fatalf("Publish: %v (steps %v)", err, rec.Steps())
		}
		want := []platform.Step{platform.StepOpened, platform.StepUploading, platform.StepUploaded,
			platform.StepFilled, platform.StepSubmitted, platform.StepPublished}
		if got := rec.Steps(); !slices.Equal(got, want) {
			t.Errorf("steps = %v, want %v", got, want)
		}
		var pcts []int
		for _, p := range rec.Reports {
			if p.Step == platform.StepUploading {
				pcts = append(pcts, p.Percent)
			}
		}
		if len(pcts) < 2 || pcts[len(pcts)-1] != 100 || !slices.IsSorted(pcts) {
			t.Errorf("upload percentages %v, want rising to 100", pcts)
		}
		posts := s.site.Published()
		if len(posts) != 1 {
			t.Fatalf("%d posts, want 1", len(posts))
		}
		p := posts[0]
		wantTitle := string([]rune(req.Title)[:80])
		check := func(field string, got, want any) {
			t.Helper()
			if got != want {
				t.Errorf("post %s = %v, want %v", field, got, want)
			}
		}
		check("Title", p.Title, wantTitle)
		check("Description", p.Description, req.Description)
		check("Tags", strings.Join(p.Tags, ","), "春天,vlog,雨")
		check("TID", p.TID, 201)
		check("Copyright", p.Copyright, 1)
		check("VideoSHA256", p.VideoSHA256, platformtest.FileSHA256(t, req.VideoPath))
		check("CoverSHA256", p.CoverSHA256, platformtest.FileSHA256(t, req.CoverPath))
		check("ScheduleAt", p.ScheduleAt.Unix(), req.ScheduleAt.Unix())
		check("Via", p.Via, "app")
		if !strings.Contains(res.URL, p.Bvid) {
			t.Errorf("result URL %q does not name %s", res.URL, p.Bvid)
		}
		if peak := s.site.PeakInFlight(); peak < 1 || peak > 3 {
			t.Errorf("peak chunk PUTs in flight = %d, want 1..3", peak)
		}
		// verify-before-retry: the post is found by its (cut) title.
		found, ok, err := s.driver.FindPublished(s.ctx, req)
		if err != nil || !ok || !found.Verified || !strings.Contains(found.URL, p.Bvid) {
			t.Errorf("FindPublished = %+v, %v, %v; want the post, verified", found, ok, err)
		}
		if _, ok, err := s.driver.FindPublished(s.ctx, platformtest.Request("从未发布过的标题")); err != nil || ok {
			t.Errorf("FindPublished(unknown) = %v, %v; want not found", ok, err)
		}
	})

	t.Run("ImportedCookiesUseTheWebSubmitAndDefaultZone", func(t *testing.T) {
		s := newSetup(t, nil)
		s.sess.SetCookies(s.site.SessionCookies())
		if _, err := s.driver.Publish(s.ctx, platformtest.Request("网页投稿"), (&platformtest.Recorder{}).Func); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		p := s.site.Published()[0]
		if p.Via != "web" || p.TID != 21 || p.ScheduleAt.IsZero() != true {
			t.Errorf("post via %s tid %d schedule %v; want web, 21 (日常), none", p.Via, p.TID, p.ScheduleAt)
		}
	})

	t.Run("FailedChunkIsRetriedOnce", func(t *testing.T) {
		s := loggedIn(t)
		s.site.FailNextUpload()
		req := platformtest.Request("分片失败后重试")
		if _, err := s.driver.Publish(s.ctx, req, (&platformtest.Recorder{}).Func); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		posts := s.site.Published()
		if len(posts) != 1 || posts[0].VideoSHA256 != platformtest.FileSHA256(t, req.VideoPath) {
			t.Fatalf("posts %+v, want one with the test video", posts)
		}
		if n := s.site.ChunkFailures(); n != 1 {
			t.Errorf("chunk failures served = %d, want 1", n)
		}
	})

	t.Run("ChunkThatKeepsFailingIsUploadFailed", func(t *testing.T) {
		s := loggedIn(t)
		s.site.FailChunk(2, 4) // the first try and the driver's 3 retries
		_, err := s.driver.Publish(s.ctx, platformtest.Request("一直失败"), (&platformtest.Recorder{}).Func)
		if !errors.Is(err, platform.ErrUploadFailed) {
			t.Fatalf("Publish = %v, want ErrUploadFailed", err)
		}
		noPosts(t, s.site)
	})

	t.Run("LoggedOutIsLoginRequired", func(t *testing.T) {
		s := loggedIn(t)
		s.site.ExpireSessions()
		var rec platformtest.Recorder
		_, err := s.driver.Publish(s.ctx, platformtest.Request("未登录"), rec.Func)
		if !errors.Is(err, platform.ErrLoginRequired) {
			t.Fatalf("Publish = %v, want ErrLoginRequired", err)
		}
		if len(rec.Reports) != 0 {
			t.Errorf("steps %v reported for a logged-out account", rec.Steps())
		}
		noPosts(t, s.site)
	})

	t.Run("SessionExpiredBeforeSubmitIsLoginRequired", func(t *testing.T) {
		s := newSetup(t, nil)
		s.sess.SetCookies(s.site.SessionCookies())
		rec := platformtest.Recorder{OnStep: func(p platform.Progress) {
			if p.Step == platform.StepFilled {
				s.site.ExpireSessions()
			}
		}}
		_, err := s.driver.Publish(s.ctx, platformtest.Request("会话过期"), rec.Func)
		if !errors.Is(err, platform.ErrLoginRequired) {
			t.Fatalf("Publish = %v, want ErrLoginRequired", err)
		}
		noPosts(t, s.site)
	})

	t.Run("RejectedCarriesTheSiteMessage", func(t *testing.T) {
		s := loggedIn(t)
		s.site.FailSubmit(bilibilitest.CodeRiskControl)
		var rec platformtest.Recorder
		_, err := s.driver.Publish(s.ctx, platformtest.Request("风控"), rec.Func)
		if !errors.Is(err, platform.ErrRejected) || !strings.Contains(err.Error(), "投稿过于频繁") {
			t.Fatalf("Publish = %v, want ErrRejected with the site's message", err)
		}
		if !slices.Contains(rec.Steps(), platform.StepSubmitted) {
			t.Errorf("steps %v: StepSubmitted not reported before the submit", rec.Steps())
		}
		noPosts(t, s.site)
		// The worker keeps the last answer as the failure's artifact: the
		// site's words, no credentials.
		last, ok := s.sess.Last()
		token := value(s.sess.Cookies(), "fanout_bili_access_token")
		if !ok || !strings.Contains(last.Body, "投稿过于频繁") || strings.Contains(last.URL+last.Body, token) || strings.Contains(last.URL, "access_key") {
			t.Errorf("last exchange %+v: want the refusal without credentials", last)
		}
	})

	t.Run("RateLimitedPreuploadIsRejected", func(t *testing.T) {
		s := loggedIn(t)
		s.site.RateLimit(1)
		_, err := s.driver.Publish(s.ctx, platformtest.Request("上传过快"), (&platformtest.Recorder{}).Func)
		if !errors.Is(err, platform.ErrRejected) || !strings.Contains(err.Error(), "601") {
			t.Fatalf("Publish = %v, want ErrRejected naming 601", err)
		}
	})

	t.Run("SubmittedStepErrorPostsNothing", func(t *testing.T) {
		s := loggedIn(t)
		stop := errors.New("canceled at the last safe point")
		_, err := s.driver.Publish(s.ctx, platformtest.Request("不要发布"), func(p platform.Progress) error {
			if p.Step == platform.StepSubmitted {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) {
			t.Fatalf("Publish = %v, want the onProgress error", err)
		}
		noPosts(t, s.site)
		if _, ok, err := s.driver.FindPublished(s.ctx, platformtest.Request("不要发布")); err != nil || ok {
			t.Errorf("FindPublished after a stopped submit = %v, %v; want not found", ok, err)
		}
	})

	t.Run("InvalidRequests", func(t *testing.T) {
		s := loggedIn(t)
		for name, edit := range map[string]func(*platform.PublishRequest){
			"no tags":          func(r *platform.PublishRequest) { r.Tags = nil },
			"unknown category": func(r *platform.PublishRequest) { r.Category = "不存在的分区" },
		} {
			req := platformtest.Request("无效请求")
			edit(&req)
			if _, err := s.driver.Publish(s.ctx, req, (&platformtest.Recorder{}).Func); !errors.Is(err, platform.ErrInvalidRequest) {
				t.Errorf("%s: Publish = %v, want ErrInvalidRequest", name, err)
			}
		}
		noPosts(t, s.site)
	})

	t.Run("HonorsContextCancel", func(t *testing.T) {
		s := loggedIn(t)
		s.site.SetDelay(fakesite.DelayUpload, time.Minute)
		ctx, cancel := context.WithCancel(s.ctx)
		defer cancel()
		var cancelled time.Time
		_, err := s.driver.Publish(ctx, platformtest.Request("取消"), func(p platform.Progress) error {
			if p.Step == platform.StepUploading && cancelled.IsZero() {
				cancelled = time.Now()
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Publish = %v, want context.Canceled", err)
		}
		if d := time.Since(cancelled); cancelled.IsZero() || d > 3*time.Second {
			t.Errorf("Publish returned %s after the cancel", d)
		}
		noPosts(t, s.site)
	})
}

func noPosts(t *testing.T, site *bilibilitest.Site) {
	t.Helper()
	if posts := site.Published(); len(posts) != 0 {
		t.Errorf("site recorded %d posts, want none: %+v", len(posts), posts)
	}
}
