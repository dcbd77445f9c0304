package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/pkg/netguard"
)

func TestSignAndVerify(t *testing.T) {
	now := time.Now()
	sig := Sign("s3cret-s3cret-s3cret", "msg_1", now, []byte(`{"a":1}`))
	stamp := func(t time.Time) string { return itoa(t.Unix()) }
	if !Verify("s3cret-s3cret-s3cret", "msg_1", stamp(now), sig, []byte(`{"a":1}`), time.Minute) {
		t.Fatal("a good signature does not verify")
	}
	for name, ok := range map[string]bool{
		"body":   Verify("s3cret-s3cret-s3cret", "msg_1", stamp(now), sig, []byte(`{"a":2}`), time.Minute),
		"secret": Verify("another-secret-here", "msg_1", stamp(now), sig, []byte(`{"a":1}`), time.Minute),
		"id":     Verify("s3cret-s3cret-s3cret", "msg_2", stamp(now), sig, []byte(`{"a":1}`), time.Minute),
		"stale":  Verify("s3cret-s3cret-s3cret", "msg_1", stamp(now.Add(-time.Hour)), Sign("s3cret-s3cret-s3cret", "msg_1", now.Add(-time.Hour), []byte(`{"a":1}`)), []byte(`{"a":1}`), time.Minute),
	} {
		if ok {
			t.Errorf("a changed %s verifies", name)
		}
	}
}

type oneDelivery struct {
	o        Outbound
	recorded []bool
}

func (s *oneDelivery) Outbound(context.Context, string) (Outbound, error) { return s.o, nil }
func (s *oneDelivery) RecordAttempt(_ context.Context, _ string, ok bool, _ int, _ string, _ bool) error {
	s.recorded = append(s.recorded, ok)
	return nil
}

// A delivery to the server's own network is refused at connect time
// (whatever the URL's name resolves to) and not retried.
func TestSenderRefusesPrivateAddresses(t *testing.T) {
	hit := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer srv.Close()
	st := &oneDelivery{o: Outbound{ID: "d1", URL: srv.URL, Event: "task.finished", Secret: "x", Payload: []byte(`{}`), State: "pending"}}
	err := NewSender(st, false, discard()).Handle(context.Background(), asynq.NewTask(TypeDeliver, []byte(`{"delivery_id":"d1"}`)))
	if !errors.Is(err, netguard.ErrPrivate) || !errors.Is(err, asynq.SkipRetry) || hit || len(st.recorded) != 1 || st.recorded[0] {
		t.Fatalf("err %v, hit %v, recorded %v", err, hit, st.recorded)
	}
	st.recorded = nil
	if err := NewSender(st, true, discard()).Handle(context.Background(), asynq.NewTask(TypeDeliver, []byte(`{"delivery_id":"d1"}`))); err != nil || !hit {
		t.Fatalf("allowed private delivery: %v (hit %v)", err, hit)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
