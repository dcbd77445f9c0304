// Package chaos is Fanout's fault suite (`make chaos`, and part of `make
// test`). Each scenario runs the real system — the API handler, a worker
// binary in its own process, Postgres, Redis, headless Chromium and the fake
// Douyin site — puts it under one fault, and checks the promise: every task
// reaches a terminal state, no post is lost or doubled, nothing is published
// after its task ended canceled, and no request answers 5xx (503 during an
// outage excepted), panics or hangs. Each scenario prints one line:
//
//	CHAOS <scenario> tasks=N terminal=N duplicates=N lost=N 5xx=N
//
// Scenarios and what each proves:
//
//   - worker-kill: a worker SIGKILLed again and again in the middle of
//     publishes (at any step, before or after the publish click) loses no
//     task and doubles no post: dead workers' tasks are recovered, and a
//     retry after the click verifies instead of posting again.
//   - redis-flush: Redis losing every queued message (a restart without
//     persistence) loses no task: Postgres is the truth, the sweeper rings
//     the doorbell again.
//   - postgres-refused / postgres-partitioned: with the database refusing
//     connections or silently unreachable, the API answers 503 promptly (no
//     500, no hang), and once it is back every task completes once.
//   - cancel-at-each-step: a cancel at every step of a publish never re-runs
//     the task and never ends canceled with the post live.
//   - sse-reconnect: an event stream reopened with the last event's id (as a
//     browser's EventSource does) ends at once after a finished task.
//   - fuzz: malformed input to every route family (v1, legacy, live) gets a
//     4xx, never a 5xx, a panic or a hang.
package chaos
