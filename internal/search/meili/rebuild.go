package meili

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/meilisearch/meilisearch-go"

	"htxmarket/internal/search"
)

// rebuildBatch is how many documents one request of a rebuild carries
// (about 1–2 MB of JSON).
const rebuildBatch = 1000

// Rebuild builds a new index "<index>_tmp_<unix ms>" with the settings and
// the live index's synonyms, adds every document in batches, waits until
// all are indexed, then swaps it with the live index in one atomic step
// and deletes the old one. Searches see the old index until the swap and
// the complete new one after it. On failure the new index is deleted and
// the live one is untouched.
//
// Writes that reach the live index during a rebuild are lost at the swap
// unless docs read them: search.Reindex indexes again every product changed
// since the rebuild began, once Rebuild has returned. Rebuild returns only
// after Meilisearch has done the swap, so those writes reach the new index.
func (e *Engine) Rebuild(ctx context.Context, docs func(yield func(search.Document) error) error) error {
	if err := e.ensure(ctx); err != nil { // the live index must exist to be swapped
		return err
	}
	syn, err := e.liveSynonyms(ctx)
	if err != nil {
		return wrap("rebuild: read synonyms", err)
	}
	tmp := fmt.Sprintf("%s_tmp_%d", e.index, e.now().UnixMilli())
	if err := e.build(ctx, tmp, syn, docs); err != nil {
		return errors.Join(wrap("rebuild", err), e.drop(ctx, tmp))
	}
	if err := e.swap(ctx, tmp); err != nil {
		return errors.Join(wrap("rebuild: swap", err), e.drop(ctx, tmp))
	}
	// tmp now holds the previous index.
	return e.drop(ctx, tmp)
}

func (e *Engine) liveSynonyms(ctx context.Context) (map[string][]string, error) {
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	syn, err := e.ms.Index(e.index).GetSynonymsWithContext(ctx)
	if err != nil {
		return nil, err
	}
	if syn == nil {
		return map[string][]string{}, nil
	}
	return *syn, nil
}

// build creates index uid and fills it. All batches are queued before the
// first wait so that Meilisearch can index them together.
func (e *Engine) build(ctx context.Context, uid string, syn map[string][]string, docs func(yield func(search.Document) error) error) error {
	s := settings()
	s.Synonyms = syn
	if err := e.ensureIndex(ctx, uid, s); err != nil {
		return err
	}
	var tasks []*meilisearch.TaskInfo
	batch := make([]search.Document, 0, rebuildBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		rctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
		defer cancel()
		t, err := e.enqueue(rctx, uid, batch)
		if err != nil {
			return err
		}
		tasks = append(tasks, t)
		batch = batch[:0]
		return nil
	}
	err := docs(func(d search.Document) error {
		batch = append(batch, d)
		if len(batch) < rebuildBatch {
			return nil
		}
		return flush()
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	for _, t := range tasks {
		wctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
		err := e.wait(wctx, t)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// swap exchanges the live index with tmp. The request is made here rather
// than with the client's SwapIndexes, which always sends "rename": a field
// that Meilisearch before 1.18 refuses as unknown.
func (e *Engine) swap(ctx context.Context, tmp string) error {
	ctx, cancel := context.WithTimeout(ctx, e.taskTimeout)
	defer cancel()
	body, err := json.Marshal([]map[string][]string{{"indexes": {e.index, tmp}}})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url+"/swap-indexes", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if e.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+e.apiKey)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusAccepted {
		var apiErr struct{ Code, Message string }
		_ = json.Unmarshal(b, &apiErr)
		return &swapError{status: resp.StatusCode, code: apiErr.Code, msg: apiErr.Message}
	}
	var t meilisearch.TaskInfo
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	return e.wait(ctx, &t)
}

// swapError is Meilisearch's refusal of a swap.
type swapError struct {
	status    int
	code, msg string
}

func (s *swapError) Error() string {
	return fmt.Sprintf("swap-indexes: status %d: %s %s", s.status, s.code, s.msg)
}

// drop deletes index uid, also when ctx is already cancelled; a missing
// index is not an error.
func (e *Engine) drop(ctx context.Context, uid string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.taskTimeout)
	defer cancel()
	t, err := e.ms.DeleteIndexWithContext(ctx, uid)
	if err == nil {
		err = e.wait(ctx, t)
	}
	if err != nil && apiCode(err) != "index_not_found" {
		return wrap("rebuild: delete index "+uid, err)
	}
	return nil
}
