package taskhandler

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err   error
		code  string
		retry bool
	}{
		{fmt.Errorf("douyin: open: %w", platform.ErrLoginRequired), job.CodeLoginRequired, false},
		{fmt.Errorf("douyin: publish: 违规: %w", platform.ErrRejected), job.CodeContentRejected, false},
		{fmt.Errorf("x: %w", platform.ErrInvalidRequest), job.CodeInvalidRequest, false},
		{platform.ErrLoginTimeout, job.CodeLoginTimeout, false},
		{fmt.Errorf("douyin: %w", &web.SelectorError{Step: "title", Selector: "input", Err: context.DeadlineExceeded}), job.CodeSelectorMissing, true},
		{fmt.Errorf("douyin: %w", platform.ErrUploadFailed), job.CodeUploadFailed, true},
		{context.DeadlineExceeded, job.CodeTimeout, true},
		{errors.New("connection reset"), job.CodeInternal, true},
		{permanent(job.CodePublishUnconfirmed, errUnconfirmed), job.CodePublishUnconfirmed, false},
	}
	for _, tt := range tests {
		code, retry := Classify(tt.err)
		if code != tt.code || retry != tt.retry {
			t.Errorf("Classify(%v) = %s, %v; want %s, %v", tt.err, code, retry, tt.code, tt.retry)
		}
	}
}

func TestRetryDelayAndIsFailure(t *testing.T) {
	t.Parallel()
	f := RetryDelay(10*time.Second, 2*time.Second)
	if d := f(5, fmt.Errorf("x: %w", ErrAccountBusy), nil); d != 2*time.Second {
		t.Errorf("busy delay %s", d)
	}
	if d0, d1 := f(0, errors.New("x"), nil), f(1, errors.New("x"), nil); d0 != 10*time.Second || d1 != 20*time.Second {
		t.Errorf("backoff %s, %s", d0, d1)
	}
	if d := f(30, errors.New("x"), nil); d != 5*time.Minute {
		t.Errorf("cap %s", d)
	}
	if IsFailure(ErrAccountBusy) || !IsFailure(errors.New("x")) {
		t.Error("IsFailure must spare only a busy account")
	}
}

func TestProgressOfIsMonotonic(t *testing.T) {
	t.Parallel()
	steps := []platform.Progress{{Step: platform.StepOpened}, {Step: platform.StepUploading, Percent: 0},
		{Step: platform.StepUploading, Percent: 100}, {Step: platform.StepUploaded}, {Step: platform.StepFilled},
		{Step: platform.StepSubmitted}, {Step: platform.StepPublished}}
	last := -1
	for _, s := range steps {
		p := progressOf(s)
		if p < last || p > 100 {
			t.Fatalf("progress of %+v = %d after %d", s, p, last)
		}
		last = p
	}
	if last != 100 {
		t.Fatalf("published is %d%%", last)
	}
}
