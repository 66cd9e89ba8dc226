// Package stripetest runs Stripe's own API mock, stripe-mock, for tests, and
// signs webhook events the way Stripe does.
//
// stripe-mock answers every documented endpoint of the Stripe API: it
// validates each request against Stripe's OpenAPI specification (required
// and unknown parameters, types, enumerations, authentication) and answers
// with fixture objects, echoing some request values. It keeps no state.
//
// The binary is looked up in $STRIPE_MOCK_BIN, then PATH, then $(go env
// GOBIN) and $(go env GOPATH)/bin. A test that needs it fails when it is
// missing, with the command that installs it.
//
// A package shares one stripe-mock among its tests by calling Main from
// TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(stripetest.Main(m)) }
package stripetest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Version is the stripe-mock release the tests are written against.
const Version = "v0.203.0"

// SecretKey is a key stripe-mock accepts: it wants any test-mode secret key.
const SecretKey = "sk_test_htxmarket"

// startTimeout bounds how long stripe-mock may take to load its
// specification and answer, on a loaded two-core machine.
const startTimeout = time.Minute

// Server is a running stripe-mock.
type Server struct {
	// URL is the base URL of its HTTP listener, e.g. http://127.0.0.1:41234.
	URL string

	cmd    *exec.Cmd
	exited chan struct{}
	out    *tailBuffer
	once   sync.Once
}

// Start starts a stripe-mock listening on a free loopback port and returns
// once it answers API requests. The caller must Close it.
func Start() (*Server, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	// The system picks both ports, so parallel test binaries never collide.
	// The HTTPS address is given too because stripe-mock v0.203.0 starts
	// HTTPS on its fixed default port 12112 whenever -http-addr is used
	// without it (only -http-port turns HTTPS off, but binds every address).
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:", "-https-addr", "127.0.0.1:")
	setProcAttr(cmd)
	s := &Server{cmd: cmd, exited: make(chan struct{}), out: &tailBuffer{max: 8 << 10}}
	addr := make(chan string, 1)
	// exec copies both streams until stripe-mock exits, so it never blocks
	// on a full pipe; the tail is kept for error messages.
	cmd.Stdout = &addrWatcher{out: s.out, addr: addr}
	cmd.Stderr = s.out
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("stripetest: start %s: %w", bin, err)
	}
	go func() {
		_ = cmd.Wait()
		close(s.exited)
	}()

	deadline := time.NewTimer(startTimeout)
	defer deadline.Stop()
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case <-s.exited:
		return nil, fmt.Errorf("stripetest: %s exited before listening: %s", bin, s.out)
	case <-deadline.C:
		s.Close()
		return nil, fmt.Errorf("stripetest: %s did not listen within %s: %s", bin, startTimeout, s.out)
	}
	if err := s.waitReady(deadline.C); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// waitReady polls an endpoint until stripe-mock answers it as Stripe would.
func (s *Server) waitReady(deadline <-chan time.Time) error {
	c := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, s.URL+"/v1/balance", nil)
		if err != nil {
			return fmt.Errorf("stripetest: %w", err)
		}
		req.Header.Set("Authorization", "Bearer "+SecretKey)
		res, err := c.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("GET /v1/balance: HTTP %d", res.StatusCode)
		}
		last = err
		select {
		case <-s.exited:
			return fmt.Errorf("stripetest: stripe-mock exited: %s", s.out)
		case <-deadline:
			return fmt.Errorf("stripetest: stripe-mock at %s does not answer: %v", s.URL, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close kills stripe-mock and waits for it to exit.
func (s *Server) Close() {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.exited
	})
}

// Binary returns the path of the stripe-mock executable, or an error of one
// line saying how to install it.
func Binary() (string, error) {
	if p := os.Getenv("STRIPE_MOCK_BIN"); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("stripetest: STRIPE_MOCK_BIN=%s is not an executable file; install stripe-mock with `go install github.com/stripe/stripe-mock@%s`", p, Version)
	}
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	dirs := goBinDirs()
	for _, d := range dirs {
		if p := filepath.Join(d, "stripe-mock"); isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("stripetest: stripe-mock not found in $STRIPE_MOCK_BIN, PATH or %s; install it with `go install github.com/stripe/stripe-mock@%s` (or set STRIPE_MOCK_BIN)",
		strings.Join(dirs, ", "), Version)
}

// goBinDirs returns where `go install` puts binaries: GOBIN if set, and the
// bin folder of the first GOPATH entry.
func goBinDirs() []string {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		if home, err := os.UserHomeDir(); err == nil {
			return []string{filepath.Join(home, "go", "bin")}
		}
		return nil
	}
	// One line each, in order; an unset GOBIN is an empty line.
	lines := strings.Split(string(out), "\n")
	var dirs []string
	if len(lines) > 0 && strings.TrimSpace(lines[0]) != "" {
		dirs = append(dirs, strings.TrimSpace(lines[0]))
	}
	if len(lines) > 1 {
		if gp := filepath.SplitList(strings.TrimSpace(lines[1])); len(gp) > 0 && gp[0] != "" {
			dirs = append(dirs, filepath.Join(gp[0], "bin"))
		}
	}
	return dirs
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// New starts a stripe-mock for t alone and kills it when t ends. It fails t
// when stripe-mock is missing or does not start.
func New(t testing.TB) *Server {
	t.Helper()
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// shared is the stripe-mock of a test binary that called Main.
var shared struct {
	managed atomic.Bool
	once    sync.Once
	srv     *Server
	err     error
}

// Main runs the tests of m with one stripe-mock shared by all of them,
// started on first use by URL and killed when the tests are over. Call it
// from TestMain and pass its result to os.Exit.
func Main(m *testing.M) int {
	shared.managed.Store(true)
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Close()
	}
	return code
}

// URL returns the base URL of a running stripe-mock, failing t when
// stripe-mock is missing or does not start. Under Main it is the binary's
// shared stripe-mock; otherwise each call starts one that t's cleanup kills.
func URL(t testing.TB) string {
	t.Helper()
	if !shared.managed.Load() {
		return New(t).URL
	}
	shared.once.Do(func() { shared.srv, shared.err = Start() })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv.URL
}

// addrWatcher passes stripe-mock's stdout on to out and sends the address
// of its HTTP listener, which it prints once it listens, to addr.
type addrWatcher struct {
	out     io.Writer
	addr    chan<- string
	partial []byte
}

func (w *addrWatcher) Write(p []byte) (int, error) {
	_, _ = w.out.Write(p)
	w.partial = append(w.partial, p...)
	for {
		line, rest, ok := bytes.Cut(w.partial, []byte("\n"))
		if !ok {
			return len(p), nil
		}
		if a, ok := strings.CutPrefix(string(line), "Listening for HTTP at address: "); ok {
			select {
			case w.addr <- strings.TrimSpace(a):
			default:
			}
		}
		w.partial = rest
	}
}

// tailBuffer keeps the last max bytes written to it; it is safe for
// concurrent use because stripe-mock's stdout and stderr are copied into it
// from different goroutines.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

// String returns the kept output on one line, for error messages.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.Join(strings.Fields(string(t.b)), " ")
	if s == "" {
		return "(no output)"
	}
	return s
}
