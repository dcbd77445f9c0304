package postgres

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// A file deleted while a queued task needs it leaves the library at once,
// stays readable for the task, and is purged once the task has ended.
func TestDeleteFileWhileATaskNeedsIt(t *testing.T) {
	b := setup(t)
	a := b.account(t, "files")
	mk := func(name string) job.File {
		f, err := b.store.CreateFile(b.ctx, job.File{ID: uuid.NewString(), Filename: name, StoredName: uuid.NewString() + ".mp4",
			SizeBytes: 1, SHA256: "00", ContentType: "video/mp4"})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	used, free := mk("used.mp4"), mk("free.mp4")
	ts, err := b.store.CreateTasks(b.ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish, Platform: platform.Douyin,
		AccountID: a.ID, FileID: &used.ID, MaxAttempts: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, kept, err := b.store.DeleteFile(b.ctx, free.ID); err != nil || kept {
		t.Fatalf("delete an unused file: kept %v, %v", kept, err)
	}
	if _, err := b.store.TaskFile(b.ctx, free.ID); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("an unused file's row stayed: %v", err)
	}
	got, kept, err := b.store.DeleteFile(b.ctx, used.ID)
	if err != nil || !kept || got.StoredName != used.StoredName {
		t.Fatalf("delete a file a queued task needs: %+v kept %v, %v", got, kept, err)
	}
	if _, err := b.store.GetFile(b.ctx, used.ID); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("the library still has the deleted file: %v", err)
	}
	if fs, _ := b.store.ListFiles(b.ctx); len(fs) != 0 {
		t.Fatalf("listed after delete: %+v", fs)
	}
	if fs, _ := b.store.SeqFiles(b.ctx); len(fs) != 0 {
		t.Fatalf("legacy listing after delete: %+v", fs)
	}
	if _, _, err := b.store.DeleteFile(b.ctx, used.ID); job.ErrorCode(err) != job.ENotFound {
		t.Fatalf("deleting twice: %v", err)
	}
	if f, err := b.store.TaskFile(b.ctx, used.ID); err != nil || f.StoredName != used.StoredName {
		t.Fatalf("the task cannot read its file: %v", err)
	}
	if fs, err := b.store.PurgeDeletedFiles(b.ctx); err != nil || len(fs) != 0 {
		t.Fatalf("purged while the task is queued: %+v %v", fs, err)
	}
	if _, _, err := b.store.Claim(b.ctx, ts[0].ID, "w", time.Minute); err != nil {
		t.Fatal(err)
	}
	if fs, err := b.store.PurgeDeletedFiles(b.ctx); err != nil || len(fs) != 0 {
		t.Fatalf("purged while the task runs: %+v %v", fs, err)
	}
	if err := b.store.Finish(b.ctx, ts[0].ID, "w", job.StateSucceeded, nil, nil); err != nil {
		t.Fatal(err)
	}
	fs, err := b.store.PurgeDeletedFiles(b.ctx)
	if err != nil || len(fs) != 1 || fs[0].StoredName != used.StoredName {
		t.Fatalf("purge after the task ended: %+v %v", fs, err)
	}
	if fs, _ := b.store.PurgeDeletedFiles(b.ctx); len(fs) != 0 {
		t.Fatalf("purged twice: %+v", fs)
	}
}
