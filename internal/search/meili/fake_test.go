package meili

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"htxmarket/internal/platform/config"
)

// recorded is one request that the fake Meilisearch received.
type recorded struct {
	Method, Path, Query string
	Body                string
	Auth                string
}

// JSON decodes the request body into v.
func (r recorded) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("%s %s: body %q: %v", r.Method, r.Path, r.Body, err)
	}
}

// fakeMeili records requests and answers them as Meilisearch does: every
// write is an enqueued task, every task has succeeded (unless failTask
// says otherwise), searches answer with the configured bodies.
type fakeMeili struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []recorded
	nextTask int64
	tasks    map[int64]string // uid → task type
	// failTask makes the task of a request to this path fail with this
	// error code.
	failTask map[string]string
	// status answers every request to a path with this status and body.
	status map[string]fakeAnswer
	// search and multi are the bodies of search and multi-search answers.
	search, multi string
	synonyms      string
}

type fakeAnswer struct {
	code int
	body string
}

func newFake(t *testing.T) *fakeMeili {
	t.Helper()
	f := &fakeMeili{t: t, tasks: map[int64]string{}, failTask: map[string]string{}, status: map[string]fakeAnswer{},
		search: `{"hits":[],"totalHits":0,"page":1,"hitsPerPage":20,"totalPages":0}`, synonyms: `{}`}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// engine returns an engine on the fake with index "products".
func (f *fakeMeili) engine(t *testing.T) *Engine {
	t.Helper()
	e, err := New(config.Search{MeiliURL: f.srv.URL, MeiliAPIKey: "test-key", MeiliIndex: "products",
		MeiliTimeout: 2 * time.Second, MeiliTaskTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e.poll = time.Millisecond
	e.now = func() time.Time { return time.UnixMilli(1750000000000) }
	return e
}

func (f *fakeMeili) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if !strings.HasPrefix(r.URL.Path, "/tasks/") {
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Body: string(body), Auth: r.Header.Get("Authorization")})
	}
	w.Header().Set("Content-Type", "application/json")
	if a, ok := f.status[r.URL.Path]; ok {
		w.WriteHeader(a.code)
		io.WriteString(w, a.body)
		return
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/tasks/"):
		uid, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/tasks/"), 10, 64)
		typ := f.tasks[uid]
		if code, ok := f.failTask[typ]; ok {
			fmt.Fprintf(w, `{"uid":%d,"status":"failed","type":"x","error":{"code":%q,"message":"refused"}}`, uid, code)
			return
		}
		fmt.Fprintf(w, `{"uid":%d,"status":"succeeded","type":"x"}`, uid)
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/search"):
		io.WriteString(w, f.search)
	case r.URL.Path == "/multi-search":
		io.WriteString(w, f.multi)
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/settings/synonyms"):
		io.WriteString(w, f.synonyms)
	default: // a write: enqueue a task
		f.nextTask++
		f.tasks[f.nextTask] = r.Method + " " + r.URL.Path
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"taskUid":%d,"indexUid":"products","status":"enqueued","type":"x","enqueuedAt":"2025-06-01T08:00:00Z"}`, f.nextTask)
	}
}

// requests returns the recorded requests as "METHOD path" lines.
func (f *fakeMeili) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

func (f *fakeMeili) lines() []string {
	var out []string
	for _, r := range f.requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// last returns the last request to path.
func (f *fakeMeili) last(t *testing.T, method, path string) recorded {
	t.Helper()
	reqs := f.requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method && reqs[i].Path == path {
			return reqs[i]
		}
	}
	t.Fatalf("no %s %s among %v", method, path, f.lines())
	return recorded{}
}
