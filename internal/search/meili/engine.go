// Package meili is the Meilisearch implementation of search.Engine, used
// when MEILI_URL is set. It indexes the same documents as the postgres
// engine and passes the same contract suite; Meilisearch brings typo
// tolerance, ranking and speed at catalog sizes where trigram queries slow
// down.
//
// Every call that Meilisearch could not answer because it is unreachable,
// overloaded, too slow or has no index yet returns an error wrapping
// search.ErrEngineDown, so that search.Fallback answers from the postgres
// engine instead. Writes wait until Meilisearch has indexed them: a failed
// write is an error, and the outbox delivers it again.
//
// It needs Meilisearch 1.15 or later (the deploy files pin it).
package meili

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"htxmarket/internal/platform/config"
	"htxmarket/internal/search"
)

var _ search.Engine = (*Engine)(nil)

// Engine is a search.Engine on one Meilisearch index.
type Engine struct {
	ms    meilisearch.ServiceManager
	index string
	// url, apiKey and http serve the one request made without the client.
	url, apiKey string
	http        *http.Client
	// timeout bounds one query; taskTimeout one write with its indexing.
	timeout, taskTimeout time.Duration
	// poll is the wait between two looks at an indexing task.
	poll time.Duration
	now  func() time.Time

	// ensured is set once EnsureSettings has succeeded in this process;
	// writes make sure of it first, because Meilisearch creates a missing
	// index on the first document, without our settings.
	mu      sync.Mutex
	ensured bool

	// syn are the index's synonyms (term → its synonyms), nil until read.
	synMu sync.Mutex
	syn   map[string][]string
}

// New returns an engine on the index cfg names. It does not contact
// Meilisearch: a server that is down at start-up is the fallback's business.
func New(cfg config.Search) (*Engine, error) {
	if cfg.MeiliURL == "" {
		return nil, errors.New("meili: MEILI_URL is not set")
	}
	e := &Engine{
		index:       cfg.MeiliIndex,
		timeout:     cfg.MeiliTimeout,
		taskTimeout: cfg.MeiliTaskTimeout,
		poll:        50 * time.Millisecond,
		now:         time.Now,
	}
	if e.index == "" {
		e.index = "products"
	}
	if e.timeout <= 0 {
		e.timeout = 2 * time.Second
	}
	if e.taskTimeout <= 0 {
		e.taskTimeout = time.Minute
	}
	e.url, e.apiKey = strings.TrimSuffix(cfg.MeiliURL, "/"), cfg.MeiliAPIKey
	e.http = &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 2 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32, // one per concurrent query: the default 2 reconnects under load
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
	// No client-side retries: they sleep 1+2+3 s on a 5xx, which only
	// delays the fallback for queries, and the outbox already retries
	// writes with backoff.
	opts := []meilisearch.Option{meilisearch.DisableRetries(), meilisearch.WithCustomClient(e.http)}
	if cfg.MeiliAPIKey != "" {
		opts = append(opts, meilisearch.WithAPIKey(cfg.MeiliAPIKey))
	}
	e.ms = meilisearch.New(cfg.MeiliURL, opts...)
	return e, nil
}

// Name is "meili".
func (e *Engine) Name() string { return "meili" }

// Index is the uid of the live index.
func (e *Engine) Index() string { return e.index }

// wait waits until Meilisearch has processed the task and reports its
// failure as an error.
func (e *Engine) wait(ctx context.Context, t *meilisearch.TaskInfo) error {
	task, err := e.ms.WaitForTaskWithContext(ctx, t.TaskUID, e.poll)
	if err != nil {
		return err
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &taskError{uid: t.TaskUID, typ: string(task.Type), status: string(task.Status),
			code: task.Error.Code, msg: task.Error.Message}
	}
	return nil
}

// taskError is an indexing task that Meilisearch refused or cancelled.
type taskError struct {
	uid                    int64
	typ, status, code, msg string
}

func (t *taskError) Error() string {
	return fmt.Sprintf("task %d (%s) %s: %s %s", t.uid, t.typ, t.status, t.code, t.msg)
}

// wrap names the operation and marks unavailability with
// search.ErrEngineDown.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if unavailable(err) {
		return fmt.Errorf("meili: %s: %w: %w", op, search.ErrEngineDown, err)
	}
	return fmt.Errorf("meili: %s: %w", op, err)
}

// unavailable tells an engine that cannot answer now (network error,
// timeout, 5xx, no index yet) from a request it will never accept (a bad
// filter, a wrong key): only the first is worth answering from elsewhere.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var te *taskError
	if errors.As(err, &te) {
		return te.code == "index_not_found"
	}
	var se *swapError
	if errors.As(err, &se) {
		return se.status >= 500
	}
	var me *meilisearch.Error
	if errors.As(err, &me) {
		switch me.ErrCode {
		case meilisearch.MeilisearchTimeoutError, meilisearch.MeilisearchCommunicationError,
			meilisearch.MeilisearchMaxRetriesExceeded:
			return true
		}
		// A fresh deployment answers searches before the first rebuild.
		return me.StatusCode >= 500 || me.MeilisearchApiError.Code == "index_not_found"
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// apiCode is Meilisearch's error code of err, "" when it has none.
func apiCode(err error) string {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		return me.MeilisearchApiError.Code
	}
	var te *taskError
	if errors.As(err, &te) {
		return te.code
	}
	return ""
}
