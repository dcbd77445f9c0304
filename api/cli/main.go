// Command fanout is the command-line client of Fanout's HTTP API: log an
// account in by QR code, upload, publish, follow tasks and answer a site's
// verification from a terminal. It talks to /api/v1 only, so it runs
// anywhere the API is reachable.
//
// The API's URL and token come from --url/--token, else FANOUT_URL and
// FANOUT_TOKEN, else the config file ($XDG_CONFIG_HOME/fanout/config.json,
// {"url": "...", "token": "..."}; --config names another).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fanout:", err)
		os.Exit(1)
	}
}

// run runs one command line with its environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	root := newRoot(getenv, stdout, stderr)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}
