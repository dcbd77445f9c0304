package postgres

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// BenchmarkCreateClaimFinish measures the Postgres cost of one task's life
// (insert with its event, claim under the account lock, finish).
func BenchmarkCreateClaimFinish(b *testing.B) {
	bb := setupTB(b)
	a, err := bb.store.CreateAccount(bb.ctx, uuid.NewString(), platform.Douyin, "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ts, err := bb.store.CreateTasks(bb.ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindCheck, Platform: platform.Douyin, AccountID: a.ID, MaxAttempts: 1}})
		if err != nil {
			b.Fatal(err)
		}
		if _, o, err := bb.store.Claim(bb.ctx, ts[0].ID, "w", time.Minute); err != nil || o != Claimed {
			b.Fatal(o, err)
		}
		if err := bb.store.Finish(bb.ctx, ts[0].ID, "w", job.StateSucceeded, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}
