package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// settings are the connection settings every command uses.
type settings struct {
	url, token, config string
	poll               time.Duration
}

// cli holds what the commands share.
type cli struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	s              settings
}

func newRoot(getenv func(string) string, stdout, stderr io.Writer) *cobra.Command {
	c := &cli{getenv: getenv, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "fanout",
		Short:         "Fanout's command-line client: accounts, QR login, upload, publish, tasks",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&c.s.url, "url", "", "API URL (FANOUT_URL; default http://127.0.0.1:8080)")
	pf.StringVar(&c.s.token, "token", "", "API token (FANOUT_TOKEN)")
	pf.StringVar(&c.s.config, "config", "", "config file (default $XDG_CONFIG_HOME/fanout/config.json)")
	pf.DurationVar(&c.s.poll, "poll", time.Second, "how often to look at a task being followed")
	root.AddCommand(c.accountsCmd(), c.loginCmd(), c.checkCmd(), c.uploadCmd(), c.publishCmd(), c.tasksCmd(), c.answerCmd())
	return root
}

// client resolves the settings: flag, then environment, then config file.
func (c *cli) client() (*client, error) {
	var file struct{ URL, Token string }
	path := c.s.config
	if path == "" {
		dir := c.getenv("XDG_CONFIG_HOME")
		if dir == "" {
			if home := c.getenv("HOME"); home != "" {
				dir = filepath.Join(home, ".config")
			}
		}
		if dir != "" {
			path = filepath.Join(dir, "fanout", "config.json")
		}
	}
	if path != "" {
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &file); err != nil {
				return nil, fmt.Errorf("config %s: %w", path, err)
			}
		case c.s.config != "" || !errors.Is(err, os.ErrNotExist):
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	pick := func(vs ...string) string {
		for _, v := range vs {
			if v != "" {
				return v
			}
		}
		return ""
	}
	base := pick(c.s.url, c.getenv("FANOUT_URL"), file.URL, "http://127.0.0.1:8080")
	token := pick(c.s.token, c.getenv("FANOUT_TOKEN"), file.Token)
	if token == "" {
		return nil, errors.New("no API token: pass --token, set FANOUT_TOKEN or put it in the config file (fanout-api token create -name cli)")
	}
	return &client{base: strings.TrimRight(base, "/"), token: token, http: &http.Client{Timeout: 10 * time.Minute}}, nil
}

func (c *cli) table(header string, rows [][]string) {
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}

func (c *cli) accountsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "accounts",
		Short: "List the accounts with their status and last check",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			accs, err := listAccounts(cmd.Context(), cl)
			if err != nil {
				return err
			}
			var rows [][]string
			for _, a := range accs {
				checked := "-"
				if a.LastCheckedAt != nil {
					checked = a.LastCheckedAt.Local().Format(time.DateTime)
				}
				expires := "-"
				if a.ExpiresHint != nil {
					expires = a.ExpiresHint.Local().Format(time.DateOnly)
				}
				rows = append(rows, []string{a.ID, a.Platform, a.Name, a.Status, checked, expires})
			}
			c.table("ID\tPLATFORM\tNAME\tSTATUS\tLAST CHECKED\tEXPIRES (HINT)", rows)
			return nil
		},
	}
}

func listAccounts(ctx context.Context, cl *client) ([]account, error) {
	var out struct {
		Items []account `json:"items"`
	}
	return out.Items, cl.json(ctx, "GET", "/api/v1/accounts", nil, &out)
}

func (c *cli) loginCmd() *cobra.Command {
	var qrFile string
	cmd := &cobra.Command{
		Use:   "login PLATFORM NAME",
		Short: "Log an account in by QR code (the account is created if it does not exist)",
		Long: "Starts a QR login and follows it: the QR code is written to a PNG file (--qr-file, default in the\n" +
			"temporary directory) to open and scan with the platform's app, then the phases are printed until\n" +
			"the login succeeds or fails.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			acc, err := findOrCreate(ctx, cl, args[0], args[1])
			if err != nil {
				return err
			}
			var lt struct {
				TaskID string `json:"task_id"`
			}
			if err := cl.json(ctx, "POST", "/api/v1/accounts/"+acc.ID+"/login", nil, &lt); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "login task %s for %s/%s\n", lt.TaskID, acc.Platform, acc.Name)
			if qrFile == "" {
				qrFile = filepath.Join(os.TempDir(), "fanout-qr-"+lt.TaskID+".png")
			}
			end, err := cl.follow(ctx, []string{lt.TaskID}, c.s.poll, func(t task, r result) {
				switch {
				case r.Phase == "qrcode" && r.QRCode != "":
					if err := writeDataURL(qrFile, r.QRCode); err != nil {
						fmt.Fprintf(c.stderr, "cannot write the QR code: %v\n", err)
						return
					}
					fmt.Fprintf(c.stdout, "QR code: %s — open it and scan it with the %s app\n", qrFile, acc.Platform)
				case r.Phase != "":
					fmt.Fprintf(c.stdout, "%s %s\n", r.Phase, r.Message)
				}
			})
			if err != nil {
				return err
			}
			return ended(c.stdout, end[lt.TaskID])
		},
	}
	cmd.Flags().StringVar(&qrFile, "qr-file", "", "where to write the QR code PNG")
	return cmd
}

// writeDataURL writes a data:image/...;base64 URL's bytes to path.
func writeDataURL(path, url string) error {
	_, b64, ok := strings.Cut(url, ";base64,")
	if !ok || !strings.HasPrefix(url, "data:image/") {
		return errors.New("not an image data URL")
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func findOrCreate(ctx context.Context, cl *client, platform, name string) (account, error) {
	accs, err := listAccounts(ctx, cl)
	if err != nil {
		return account{}, err
	}
	for _, a := range accs {
		if a.Platform == platform && a.Name == name {
			return a, nil
		}
	}
	var a account
	return a, cl.json(ctx, "POST", "/api/v1/accounts", map[string]string{"platform": platform, "name": name}, &a)
}

// ended prints a finished task's outcome and fails unless it succeeded.
func ended(w io.Writer, t task) error {
	if t.State == "succeeded" {
		fmt.Fprintf(w, "%s %s: succeeded\n", t.Kind, t.ID)
		return nil
	}
	if t.Error != nil {
		return fmt.Errorf("%s %s %s: %s: %s", t.Kind, t.ID, t.State, t.Error.Code, t.Error.Message)
	}
	return fmt.Errorf("%s %s %s", t.Kind, t.ID, t.State)
}

func (c *cli) checkCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check ACCOUNT_ID",
		Short: "Check an account's cookies and print whether they still work",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			var t task
			if err := cl.json(cmd.Context(), "POST", "/api/v1/accounts/"+args[0]+"/check", nil, &t); err != nil {
				return err
			}
			end, err := cl.follow(cmd.Context(), []string{t.ID}, c.s.poll, func(task, result) {})
			if err != nil {
				return err
			}
			t = end[t.ID]
			var r result
			_ = json.Unmarshal(t.Result, &r)
			if r.Valid != nil {
				fmt.Fprintf(c.stdout, "valid: %v\n", *r.Valid)
			}
			return ended(c.stdout, t)
		},
	}
}

func (c *cli) uploadCmd() *cobra.Command {
	var kind string
	cmd := &cobra.Command{
		Use:   "upload FILE",
		Short: "Upload a video (or --kind cover for an image) and print its id",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			f, err := cl.upload(cmd.Context(), args[0], kind, func(pct int, done, size int64) {
				fmt.Fprintf(c.stderr, "\r%3d%% %d/%d bytes", pct, done, size)
				if pct == 100 {
					fmt.Fprintln(c.stderr)
				}
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, f.ID)
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "video (default) or cover")
	return cmd
}

func (c *cli) publishCmd() *cobra.Command {
	var files, accounts, tags []string
	var title, description, at, cover string
	var follow bool
	cmd := &cobra.Command{
		Use:   "publish --file ID --account ID --title TITLE [--tags a,b] [--at TIME]",
		Short: "Publish files to accounts (one task each) and print the task ids",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			body := map[string]any{"file_ids": files, "account_ids": accounts, "title": title}
			if description != "" {
				body["description"] = description
			}
			if len(tags) > 0 {
				body["tags"] = tags
			}
			if cover != "" {
				body["cover_file_id"] = cover
			}
			if at != "" {
				when, err := time.Parse(time.RFC3339, at)
				if err != nil {
					return fmt.Errorf("--at: want a time like 2026-12-24T09:00:00+08:00: %w", err)
				}
				body["schedule"] = map[string]any{"at": when}
			}
			var out struct {
				TaskIDs []string `json:"task_ids"`
			}
			if err := cl.json(cmd.Context(), "POST", "/api/v1/publish", body, &out); err != nil {
				return err
			}
			for _, id := range out.TaskIDs {
				fmt.Fprintln(c.stdout, id)
			}
			if !follow {
				return nil
			}
			return c.followTasks(cmd.Context(), cl, out.TaskIDs)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&files, "file", nil, "file id (repeat or comma-separate)")
	f.StringSliceVar(&accounts, "account", nil, "account id (repeat or comma-separate)")
	f.StringVar(&title, "title", "", "title")
	f.StringVar(&description, "description", "", "description")
	f.StringSliceVar(&tags, "tags", nil, "topics, comma-separated")
	f.StringVar(&cover, "cover", "", "cover image file id (upload --kind cover)")
	f.StringVar(&at, "at", "", "publish later, at this RFC 3339 time")
	f.BoolVar(&follow, "follow", false, "follow the tasks until they end")
	for _, req := range []string{"file", "account", "title"} {
		_ = cmd.MarkFlagRequired(req)
	}
	return cmd
}

// followTasks prints each change of the tasks until they end; it fails
// when any did not succeed.
func (c *cli) followTasks(ctx context.Context, cl *client, ids []string) error {
	end, err := cl.follow(ctx, ids, c.s.poll, func(t task, r result) {
		line := fmt.Sprintf("%s %s %s step=%s %d%%", t.ID, t.Platform, t.State, t.Step, t.Progress)
		if r.Challenge != nil {
			line += fmt.Sprintf(" — the site asks (%s): %s; answer with: fanout answer %s CODE", r.Challenge.Kind, r.Challenge.Prompt, t.ID)
		}
		fmt.Fprintln(c.stdout, line)
		if t.terminal() {
			for _, w := range r.Warnings {
				fmt.Fprintf(c.stdout, "%s warning: %s: %s\n", t.ID, w.Step, w.Reason)
			}
		}
	})
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if err := ended(io.Discard, end[id]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c *cli) tasksCmd() *cobra.Command {
	var state, kind string
	var follow bool
	cmd := &cobra.Command{
		Use:   "tasks [TASK_ID...]",
		Short: "List tasks (newest first), or with --follow watch the given ones (or the unfinished ones) until they end",
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			ids := args
			if len(ids) == 0 {
				q := "?limit=100"
				if state != "" {
					q += "&state=" + state
				}
				if kind != "" {
					q += "&kind=" + kind
				}
				var out struct {
					Items []task `json:"items"`
				}
				if err := cl.json(ctx, "GET", "/api/v1/tasks"+q, nil, &out); err != nil {
					return err
				}
				if !follow {
					var rows [][]string
					for _, t := range out.Items {
						e := ""
						if t.Error != nil {
							e = t.Error.Code
						}
						rows = append(rows, []string{t.ID, t.Kind, t.Platform, t.State, t.Step, fmt.Sprint(t.Progress), e})
					}
					c.table("ID\tKIND\tPLATFORM\tSTATE\tSTEP\tPROGRESS\tERROR", rows)
					return nil
				}
				for _, t := range out.Items {
					if !t.terminal() {
						ids = append(ids, t.ID)
					}
				}
			}
			if !follow {
				for _, id := range ids {
					var t task
					if err := cl.json(ctx, "GET", "/api/v1/tasks/"+id, nil, &t); err != nil {
						return err
					}
					b, _ := json.MarshalIndent(t, "", "  ")
					fmt.Fprintln(c.stdout, string(b))
				}
				return nil
			}
			return c.followTasks(ctx, cl, ids)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&follow, "follow", "f", false, "follow until the tasks end")
	f.StringVar(&state, "state", "", "only tasks in this state")
	f.StringVar(&kind, "kind", "", "only tasks of this kind (publish, login, check)")
	return cmd
}

func (c *cli) answerCmd() *cobra.Command {
	var done bool
	cmd := &cobra.Command{
		Use:   "answer TASK_ID [CODE]",
		Short: "Answer the verification a task waits for: the code the site sent, or --done once confirmed on the phone",
		Args:  cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			cl, err := c.client()
			if err != nil {
				return err
			}
			body := map[string]any{}
			switch {
			case len(args) == 2:
				body["code"] = args[1]
			case done:
				body["done"] = true
			default:
				return errors.New("give the CODE, or --done")
			}
			var t task
			if err := cl.json(cmd.Context(), "POST", "/api/v1/tasks/"+args[0]+"/input", body, &t); err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "answered; task %s is %s\n", t.ID, t.State)
			return nil
		},
	}
	cmd.Flags().BoolVar(&done, "done", false, "the check was finished on the phone")
	return cmd
}
