package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"fanout/pkg/job"
	"fanout/pkg/platform"
)

// SetInput hands a person's answer to the running task id, which must be
// waiting for one (step verification_required, no answer pending). The
// answer is sealed with the task id as associated data.
func (s *Store) SetInput(ctx context.Context, id string, a platform.Answer) (job.Task, error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	plain, _ := json.Marshal(a)
	sealed := s.box.Seal(plain, []byte("input:"+id))
	t, err := scanTask(s.pool.QueryRow(ctx, `WITH u AS (UPDATE tasks SET input_enc = $2, updated_at = now()
		WHERE id = $1 AND state = 'running' AND step = $3 AND input_enc IS NULL RETURNING *),
		e AS (`+fmt.Sprintf(eventFrom, 4, 5)+`) SELECT `+taskCols+` FROM u`,
		id, sealed, string(platform.StepVerificationRequired), "verification answered", nil))
	if errors.Is(err, pgx.ErrNoRows) {
		if _, gerr := s.GetTask(ctx, id); gerr != nil {
			return job.Task{}, gerr
		}
		return job.Task{}, job.Errorf(job.EConflict, "the task is not waiting for a verification (or already has its answer)")
	}
	return t, wrap("set input", err)
}

// TakeInput returns and clears the answer waiting for the task id that
// worker runs; ok is false when there is none yet.
func (s *Store) TakeInput(ctx context.Context, id, worker string) (a platform.Answer, ok bool, err error) {
	ctx, cancel := s.bound(ctx)
	defer cancel()
	var sealed []byte
	err = s.pool.QueryRow(ctx, `WITH old AS (SELECT input_enc FROM tasks WHERE id = $1 AND claimed_by = $2 AND input_enc IS NOT NULL FOR UPDATE)
		UPDATE tasks t SET input_enc = NULL FROM old WHERE t.id = $1 RETURNING old.input_enc`, id, worker).Scan(&sealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, wrap("take input", err)
	}
	plain, err := s.box.Open(sealed, []byte("input:"+id))
	if err != nil {
		return a, false, fmt.Errorf("postgres: take input: %w", err)
	}
	if err := json.Unmarshal(plain, &a); err != nil {
		return a, false, fmt.Errorf("postgres: take input: %w", err)
	}
	return a, true, nil
}
