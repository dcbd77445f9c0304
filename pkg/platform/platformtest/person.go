package platformtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"fanout/pkg/platform"
)

// warnings collects what a publish skipped.
type warnings struct {
	mu   sync.Mutex
	list []platform.Warning
}

func (w *warnings) ctx(ctx context.Context) context.Context {
	return platform.WithWarner(ctx, func(_ context.Context, x platform.Warning) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.list = append(w.list, x)
	})
}

func (w *warnings) steps() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, x := range w.list {
		out = append(out, x.Step)
	}
	return out
}

// exercisePerson checks what the real sites do that our own fakes did not
// ask for before: a success message is no refusal, a default that fails is
// skipped with a warning while an asked-for step that fails fails the
// publish, a request the platform cannot honour is refused before the page,
// and a verification is answered by a person in the same attempt.
func exercisePerson(t *testing.T, h Harness) {
	if h.SuccessToast {
		t.Run("SuccessToastIsNotARefusal", func(t *testing.T) {
			s := newSetup(t, h, true)
			s.site.ShowSuccessToast(true)
			if _, err := s.driver.Publish(s.ctx, Request("成功提示"), (&Recorder{}).Func); err != nil {
				t.Fatalf("Publish with a success toast: %v", err)
			}
			onePost(t, s.site)
		})
	}
	t.Run("DraftRefusedWhereThereAreNone", func(t *testing.T) {
		s := newSetup(t, h, true)
		if platform.CapabilitiesOf(s.driver.Name()).Drafts {
			t.Skip("the platform has drafts")
		}
		req := Request("草稿")
		req.Draft = true
		if _, err := s.driver.Publish(s.ctx, req, (&Recorder{}).Func); !errors.Is(err, platform.ErrInvalidRequest) {
			t.Fatalf("Publish of a draft = %v, want ErrInvalidRequest", err)
		}
		noPosts(t, s.site)
	})
	if h.DefaultOption != "" {
		t.Run("DefaultOptionFailureWarns", func(t *testing.T) {
			s := newSetup(t, h, true)
			s.site.BreakOption(h.DefaultOption, true)
			var w warnings
			if _, err := s.driver.Publish(w.ctx(s.ctx), Request("默认项失败"), (&Recorder{}).Func); err != nil {
				t.Fatalf("Publish with the default %s broken: %v, want success with a warning", h.DefaultOption, err)
			}
			onePost(t, s.site)
			// Exactly one for the option (a platform may also warn about a
			// part of the request its form cannot carry).
			n := 0
			for _, step := range w.steps() {
				if step == h.DefaultOption {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("warnings %v, want one for %s", w.steps(), h.DefaultOption)
			}
		})
		t.Run("ExplicitOptionFailureNamesTheStep", func(t *testing.T) {
			s := newSetup(t, h, true)
			s.site.BreakOption(h.DefaultOption, true)
			req := Request("指定项失败")
			h.Explicit(&req)
			_, err := s.driver.Publish(s.ctx, req, (&Recorder{}).Func)
			if err == nil || !strings.Contains(err.Error(), h.DefaultOption) {
				t.Fatalf("Publish with the asked-for %s broken = %v, want a failure naming it", h.DefaultOption, err)
			}
			noPosts(t, s.site)
		})
	}
	if h.Verification != "" {
		exerciseVerification(t, h)
	}
}

func exerciseVerification(t *testing.T, h Harness) {
	t.Run("VerificationAnsweredPublishesOnce", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.RequireVerification("246810")
		var asked []platform.Prompt
		ctx := platform.WithAsker(s.ctx, func(_ context.Context, p platform.Prompt) (platform.Answer, error) {
			asked = append(asked, p)
			return platform.Answer{Code: s.site.VerificationCode(), Done: true}, nil
		})
		if _, err := s.driver.Publish(ctx, Request("短信验证"), (&Recorder{}).Func); err != nil {
			t.Fatalf("Publish with a verification answered: %v", err)
		}
		onePost(t, s.site)
		if len(asked) != 1 || asked[0].Kind != h.Verification || asked[0].Text == "" || !strings.HasPrefix(asked[0].Screenshot, "data:image/png") {
			t.Fatalf("prompts %+v, want one %s with the site's text and a screenshot", asked, h.Verification)
		}
	})
	t.Run("VerificationTimeoutPublishesNothing", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.RequireVerification("246810")
		ctx := platform.WithAsker(s.ctx, func(context.Context, platform.Prompt) (platform.Answer, error) {
			return platform.Answer{}, platform.ErrVerificationTimeout
		})
		if _, err := s.driver.Publish(ctx, Request("验证超时"), (&Recorder{}).Func); !errors.Is(err, platform.ErrVerificationTimeout) {
			t.Fatalf("Publish = %v, want ErrVerificationTimeout", err)
		}
		noPosts(t, s.site)
	})
	t.Run("CancelWhileWaitingForAVerification", func(t *testing.T) {
		s := newSetup(t, h, true)
		s.site.RequireVerification("246810")
		ctx, cancel := context.WithCancel(s.ctx)
		ctx = platform.WithAsker(ctx, func(ctx context.Context, _ platform.Prompt) (platform.Answer, error) {
			cancel() // the user cancels while the task waits
			<-ctx.Done()
			return platform.Answer{}, ctx.Err()
		})
		if _, err := s.driver.Publish(ctx, Request("等待时取消"), (&Recorder{}).Func); !errors.Is(err, context.Canceled) {
			t.Fatalf("Publish = %v, want context.Canceled", err)
		}
		noPosts(t, s.site)
	})
}
