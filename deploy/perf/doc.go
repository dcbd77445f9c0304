// Package perf holds Fanout's end-to-end benchmarks (`make bench`): the API
// under load against the raw work it does (a task insert plus an enqueue,
// the machine's ceiling for a publish request), and publish throughput
// against a minimal hand-written pool of browser contexts (chromedp's
// defaults) and the same pool on Fanout's launcher, each printed with its
// ratio. They are benchmarks, not timed tests: nothing here fails
// on a number; README's performance section quotes one run.
package perf
