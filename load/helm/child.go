package helm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// Default bounds of one chart's rendering in a child process. A template
// language with loops, recursion (tpl, include) and string repetition can
// ask for any amount of time and memory; Helm's engine has no bound of its
// own and takes no context, so an abandoned render would keep its memory
// and CPU until the run ends. A child process is the one place both can be
// bounded and reclaimed: its address space is limited, and it is killed at
// the deadline. The limit is RLIMIT_DATA (see ServeChild).
const (
	DefaultRenderMemory  = 1 << 30
	DefaultRenderTimeout = 20 * time.Second
	// MaxRenderedBytes caps what a chart may render, all templates together.
	MaxRenderedBytes = 64 << 20
)

// maxRenderStack bounds the stack of the render child.
const maxRenderStack = 64 << 20

// childEnv marks a process started to render one chart; its value is the
// address-space limit in bytes.
const childEnv = "IMMUTCHECK_HELM_RENDER_CHILD"

// Bound makes Load render each chart in a child process: Exe, re-executed
// with childEnv set, must call ServeChild before anything else (the
// immutcheck binary in main, a test binary in TestMain).
type Bound struct {
	Exe     string
	Memory  uint64
	Timeout time.Duration
}

// request is what the parent sends the child on standard input.
type request struct {
	Dir        string   `json:"dir"`
	ValueFiles []string `json:"valueFiles"`
	Set        []string `json:"set"`
}

// response is what the child writes on standard output: the rendered
// templates by display name, or the problem.
type response struct {
	Names   []string        `json:"names"`
	Texts   []string        `json:"texts"`
	Problem *model.Location `json:"problemAt,omitempty"`
	Error   string          `json:"error,omitempty"`
}

// ServeChild returns at once unless the process was started by Load to
// render a chart; then it limits its own address space, renders, writes
// the result and exits.
func ServeChild() {
	limit, ok := os.LookupEnv(childEnv)
	if !ok {
		return
	}
	if n, err := strconv.ParseUint(limit, 10, 64); err == nil && n > 0 {
		// RLIMIT_DATA counts the memory the process writes to, its heap
		// and stacks. RLIMIT_AS would also count the address space the Go
		// runtime reserves without using, which varies from run to run
		// and fails plain charts at random. The collector works harder
		// as the heap nears the limit.
		_ = syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: n, Max: n})
		debug.SetMemoryLimit(int64(n / 4 * 3))
		// Templates that include themselves stop at a stack far below
		// the runtime's 1 GB default.
		debug.SetMaxStack(maxRenderStack)
	}
	var req request
	if err := json.NewDecoder(io.LimitReader(os.Stdin, 1<<20)).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "render child: read request:", err)
		os.Exit(2)
	}
	resp := response{}
	rendered, l, err := render(context.Background(), req.Dir, Options{ValueFiles: req.ValueFiles, Set: req.Set})
	if err != nil {
		p := problem(req.Dir, l, err)
		resp.Problem, resp.Error = &p.Location, p.Err.Error()
	} else {
		for name := range rendered {
			resp.Names = append(resp.Names, name)
		}
		sort.Strings(resp.Names)
		for i, name := range resp.Names {
			resp.Texts = append(resp.Texts, rendered[name])
			resp.Names[i] = l.display(l.file(name))
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(resp); err != nil {
		os.Exit(2)
	}
	os.Exit(0)
}

// renderChild renders the chart in dir in a child process within b.
func renderChild(ctx context.Context, dir string, opts Options, b *Bound) (*response, error) {
	mem, timeout := b.Memory, b.Timeout
	if mem == 0 {
		mem = DefaultRenderMemory
	}
	if timeout <= 0 {
		timeout = DefaultRenderTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := json.Marshal(request{Dir: dir, ValueFiles: opts.ValueFiles, Set: opts.Set})
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, b.Exe)
	cmd.Env = append(os.Environ(), childEnv+"="+strconv.FormatUint(mem, 10), "GOTRACEBACK=none")
	cmd.Stdin = bytes.NewReader(req)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("render chart: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("render chart: start the render process: %w", err)
	}
	data, readErr := io.ReadAll(io.LimitReader(out, MaxRenderedBytes+1<<20))
	if int64(len(data)) > MaxRenderedBytes+1<<20 {
		_ = cmd.Process.Kill()
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("render chart: stopped after the render deadline of %v", timeout)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("render chart: %w", ctx.Err())
	case int64(len(data)) > MaxRenderedBytes+1<<20:
		return nil, fmt.Errorf("render chart: rendered output is larger than the limit of %d bytes", MaxRenderedBytes)
	case waitErr != nil:
		if stderr.outOfMemory() {
			return nil, fmt.Errorf("render chart: stopped at the render memory limit of %d MiB", mem>>20)
		}
		if stderr.has("stack overflow") {
			return nil, errors.New("render chart: stopped: templates recurse without end (stack overflow)")
		}
		return nil, fmt.Errorf("render chart: render process failed: %v%s", waitErr, stderr.last())
	case readErr != nil:
		return nil, fmt.Errorf("render chart: %w", readErr)
	}
	var resp response
	if err := json.Unmarshal(data, &resp); err != nil || len(resp.Names) != len(resp.Texts) {
		return nil, errors.New("render chart: unreadable answer from the render process")
	}
	total := 0
	for _, t := range resp.Texts {
		total += len(t)
	}
	if total > MaxRenderedBytes {
		return nil, fmt.Errorf("render chart: rendered output is larger than the limit of %d bytes", MaxRenderedBytes)
	}
	return &resp, nil
}

// tailBuffer keeps the first and the last bytes written to it: a Go
// runtime failure says what it is on its first line and a panic at the
// end.
type tailBuffer struct{ head, b []byte }

const tailBytes = 4 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	if n := min(tailBytes-len(t.head), len(p)); n > 0 {
		t.head = append(t.head, p[:n]...)
	}
	t.b = append(t.b, p...)
	if len(t.b) > tailBytes {
		t.b = append(t.b[:0], t.b[len(t.b)-tailBytes:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) outOfMemory() bool {
	return t.has("out of memory") || t.has("cannot allocate memory")
}

func (t *tailBuffer) has(s string) bool {
	return bytes.Contains(t.head, []byte(s)) || bytes.Contains(t.b, []byte(s))
}

// last is the first line of the output, which names the failure.
func (t *tailBuffer) last() string {
	first, _, _ := strings.Cut(strings.TrimSpace(string(t.head)), "\n")
	if first = strings.TrimSpace(first); first != "" {
		if len(first) > maxErrorBytes {
			first = first[:maxErrorBytes]
		}
		return ": " + strings.ToValidUTF8(first, "")
	}
	return ""
}
