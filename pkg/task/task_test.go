package task

import (
	"errors"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

func TestNewCarriesOnlyTheIDAndPerKindPolicy(t *testing.T) {
	t.Parallel()
	tk := job.Task{ID: "0b7c7f3e-2d7e-4b7b-9a8e-1f0f6d1c2b3a", Kind: job.KindPublish, Platform: platform.Douyin, MaxAttempts: 3,
		Request: []byte(`{"title":"secret title"}`)}
	at := New(tk)
	if at.Type() != "publish:douyin" {
		t.Fatalf("type %q", at.Type())
	}
	if string(at.Payload()) != `{"v":1,"task_id":"0b7c7f3e-2d7e-4b7b-9a8e-1f0f6d1c2b3a"}` {
		t.Fatalf("payload %s carries more than the id", at.Payload())
	}
	p, err := Parse(at)
	if err != nil || p.TaskID != tk.ID {
		t.Fatalf("Parse = %+v, %v", p, err)
	}
	if QueueName(job.KindPublish, platform.Douyin) != "douyin" || QueueName(job.KindLogin, platform.Douyin) != InteractiveQueue {
		t.Fatal("queue names")
	}
	for k, pol := range Policies {
		if pol.MaxAttempts < 1 || pol.Timeout <= 0 || pol.Timeout > 30*time.Minute {
			t.Errorf("policy of %s: %+v", k, pol)
		}
	}
	if Policies[job.KindLogin].MaxAttempts != 1 {
		t.Error("a login must not retry: a QR code needs a person")
	}
}

func TestParseRejectsBadPayloadWithoutRetry(t *testing.T) {
	t.Parallel()
	for _, p := range []string{``, `{}`, `{"v":2,"task_id":"x"}`, `not json`} {
		_, err := Parse(asynq.NewTask("publish:douyin", []byte(p)))
		if !errors.Is(err, asynq.SkipRetry) {
			t.Errorf("Parse(%q) = %v, want SkipRetry", p, err)
		}
	}
}
