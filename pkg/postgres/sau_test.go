package postgres

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/secret"
	"fanout/pkg/testenv"
)

// TestSeqMigrationNumbersExistingRows applies the schema up to 00001, adds
// rows, then the rest: rows that existed before the legacy ids get one too.
func TestSeqMigrationNumbersExistingRows(t *testing.T) {
	dsn := testenv.Postgres(t)
	ctx := context.Background()
	p, db, err := provider(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	pool, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	box, _ := secret.NewBox(secret.NewKey())
	s := NewStore(pool, box)
	// A row as the first schema made it (the store's queries name later
	// columns).
	old := job.Account{ID: uuid.NewString()}
	if _, err := pool.Exec(ctx, `INSERT INTO accounts (id, platform, name) VALUES ($1, 'douyin', 'before')`, old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	fresh, err := s.CreateAccount(ctx, uuid.NewString(), platform.Douyin, "after", "")
	if err != nil {
		t.Fatal(err)
	}
	as, err := s.SeqAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0].ID != old.ID || as[1].ID != fresh.ID || as[0].Seq < 1 || as[1].Seq <= as[0].Seq {
		t.Fatalf("accounts %+v", as)
	}
}

func TestSeqLookups(t *testing.T) {
	b := setup(t)
	s, ctx := b.store, b.ctx
	a1 := b.account(t, "one")
	a2 := b.account(t, "two")
	as, err := s.SeqAccounts(ctx)
	if err != nil || len(as) != 2 || as[0].ID != a1.ID || as[1].ID != a2.ID {
		t.Fatalf("SeqAccounts %+v %v", as, err)
	}
	got, err := s.SeqAccount(ctx, as[1].Seq)
	if err != nil || got.ID != a2.ID || got.Name != "two" {
		t.Fatalf("SeqAccount %+v %v", got, err)
	}
	if _, err := s.SeqAccount(ctx, 9999); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("missing seq account: %v", err)
	}
	byID, err := s.SeqAccountByID(ctx, a1.ID)
	if err != nil || byID.Seq != as[0].Seq {
		t.Fatalf("SeqAccountByID %+v %v", byID, err)
	}
	byName, err := s.AccountByName(ctx, platform.Douyin, "two")
	if err != nil || byName.ID != a2.ID {
		t.Fatalf("AccountByName %+v %v", byName, err)
	}
	if _, err := s.AccountByName(ctx, platform.Kuaishou, "two"); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("AccountByName on another platform: %v", err)
	}

	f, err := s.CreateFile(ctx, job.File{ID: uuid.NewString(), Filename: "a.mp4", StoredName: "x.mp4", SizeBytes: 3, SHA256: "s", ContentType: "video/mp4"})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.SeqFiles(ctx)
	if err != nil || len(fs) != 1 || fs[0].ID != f.ID || fs[0].StoredName != "x.mp4" {
		t.Fatalf("SeqFiles %+v %v", fs, err)
	}
	sf, err := s.SeqFile(ctx, fs[0].Seq)
	if err != nil || sf.ID != f.ID {
		t.Fatalf("SeqFile %+v %v", sf, err)
	}
	if sf, err = s.SeqFileByID(ctx, f.ID); err != nil || sf.Seq != fs[0].Seq {
		t.Fatalf("SeqFileByID %+v %v", sf, err)
	}
	if _, err := s.SeqFile(ctx, fs[0].Seq+1); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("missing seq file: %v", err)
	}
}

func TestPendingAndGetTasks(t *testing.T) {
	b := setup(t)
	a := b.account(t, "acc")
	t1 := b.task(t, a.ID)
	t2 := b.task(t, a.ID)
	if _, err := b.store.RequestCancel(b.ctx, t2.ID); err != nil {
		t.Fatal(err)
	}
	pending, err := b.store.PendingTasks(b.ctx, job.KindCheck)
	if err != nil || len(pending) != 1 || pending[0].ID != t1.ID {
		t.Fatalf("PendingTasks %+v %v", pending, err)
	}
	if p, _ := b.store.PendingTasks(b.ctx, job.KindLogin); len(p) != 0 {
		t.Fatalf("PendingTasks(login) = %+v", p)
	}
	got, err := b.store.GetTasks(b.ctx, []string{t1.ID, t2.ID, uuid.NewString()})
	if err != nil || len(got) != 2 {
		t.Fatalf("GetTasks %+v %v", got, err)
	}
	for _, tk := range got {
		if (tk.ID == t2.ID) != (tk.State == job.StateCanceled) {
			t.Fatalf("task %s state %s", tk.ID, tk.State)
		}
	}
	if got, err := b.store.GetTasks(b.ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("GetTasks(nil) %v %v", got, err)
	}
}
