package search

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"htxmarket/internal/platform/outbox"
)

// memEngine is an engine in memory that rebuilds as Meilisearch does: it
// fills a new index aside and then replaces the live one, so that writes
// to the live index during a rebuild are lost.
type memEngine struct {
	mu         sync.Mutex
	live       map[uuid.UUID]Document
	rebuildErr error
	rebuilds   int
}

func newMemEngine(docs ...Document) *memEngine {
	e := &memEngine{live: map[uuid.UUID]Document{}}
	for _, d := range docs {
		e.live[d.ID] = d
	}
	return e
}

func (e *memEngine) Name() string { return "mem" }

func (e *memEngine) Upsert(_ context.Context, docs []Document) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, d := range docs {
		e.live[d.ID] = d
	}
	return nil
}

func (e *memEngine) Delete(_ context.Context, ids []uuid.UUID) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, id := range ids {
		delete(e.live, id)
	}
	return nil
}

func (e *memEngine) Rebuild(_ context.Context, docs func(yield func(Document) error) error) error {
	e.mu.Lock()
	e.rebuilds++
	e.mu.Unlock()
	if e.rebuildErr != nil {
		return e.rebuildErr
	}
	next := map[uuid.UUID]Document{}
	if err := docs(func(d Document) error { next[d.ID] = d; return nil }); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.live = next
	return nil
}

func (e *memEngine) Search(context.Context, Query) (Result, error)              { return Result{}, nil }
func (e *memEngine) Suggest(context.Context, string, int) ([]Suggestion, error) { return nil, nil }
func (e *memEngine) SetSynonyms(context.Context, []SynonymGroup) error          { return nil }
func (e *memEngine) index() map[uuid.UUID]Document {
	e.mu.Lock()
	defer e.mu.Unlock()
	return maps.Clone(e.live)
}

// memSource is a catalog in memory with a clock that moves a second with
// every change.
type memSource struct {
	mu      sync.Mutex
	clock   time.Time
	docs    map[uuid.UUID]Document // the indexable products
	changed map[uuid.UUID]time.Time
	// during is called once, after AllDocuments has yielded its first
	// document from a read made before: the changes it makes are those a
	// rebuild may lose.
	during func()

	markErr, changedErr error
	since               time.Time // ChangedSince's last argument
}

func newMemSource(docs ...Document) *memSource {
	s := &memSource{clock: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), docs: map[uuid.UUID]Document{}, changed: map[uuid.UUID]time.Time{}}
	for _, d := range docs {
		s.docs[d.ID] = d
	}
	return s
}

// put makes d indexable with its current content; remove makes a product
// leave the index (archived, its cooperative no longer verified).
func (s *memSource) put(d Document)      { s.stamp(d.ID, func() { s.docs[d.ID] = d }) }
func (s *memSource) remove(id uuid.UUID) { s.stamp(id, func() { delete(s.docs, id) }) }

func (s *memSource) stamp(id uuid.UUID, change func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change()
	s.changed[id] = s.clock
	s.clock = s.clock.Add(time.Second)
}

func (s *memSource) current() map[uuid.UUID]Document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.docs)
}

func (s *memSource) Documents(_ context.Context, ids []uuid.UUID, write func([]Document) error) error {
	s.mu.Lock()
	var out []Document
	for _, id := range ids {
		if d, ok := s.docs[id]; ok {
			out = append(out, d)
		}
	}
	s.mu.Unlock()
	return write(out)
}

func (s *memSource) ProductIDsOfCooperative(_ context.Context, coopID uuid.UUID) ([]uuid.UUID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []uuid.UUID
	for id, d := range s.docs {
		if d.CooperativeID == coopID {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *memSource) AllDocuments(_ context.Context, yield func(Document) error) error {
	snapshot := s.current()
	during := s.during
	s.during = nil
	for d := range maps.Values(snapshot) {
		if err := yield(d); err != nil {
			return err
		}
		if during != nil {
			during()
			during = nil
		}
	}
	return nil
}

func (s *memSource) ChangeMark(context.Context) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock, s.markErr
}

func (s *memSource) ChangedSince(_ context.Context, since time.Time) ([]uuid.UUID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.since = since
	if s.changedErr != nil {
		return nil, s.changedErr
	}
	var ids []uuid.UUID
	for id, at := range s.changed {
		if !at.Before(since) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// rebuildFixture is a catalog of three indexed products and a rebuild
// during which one is renamed, one archived and one created, each change
// written to the live index by the worker's indexer as it happens.
type rebuildFixture struct {
	engine                     *memEngine
	source                     *memSource
	renamed, archived, created Document
}

func newRebuildFixture(t *testing.T) rebuildFixture {
	t.Helper()
	coop := uuid.New()
	doc := func(name string) Document { return Document{ID: uuid.New(), Name: name, CooperativeID: coop} }
	kept, renamed, archived := doc("Chè búp"), doc("Chè xanh"), doc("Chè đen")
	x := rebuildFixture{engine: newMemEngine(kept, renamed, archived), source: newMemSource(kept, renamed, archived)}
	x.renamed, x.created = renamed, doc("Chè Shan tuyết")
	x.renamed.Name = "Chè xanh Tân Cương"
	x.archived = archived
	worker := &Indexer{Engine: x.engine, Source: x.source}
	x.source.during = func() {
		x.source.put(x.renamed)
		x.source.remove(x.archived.ID)
		x.source.put(x.created)
		if err := worker.Index(context.Background(), []uuid.UUID{x.renamed.ID, x.archived.ID, x.created.ID}); err != nil {
			t.Errorf("the worker's indexer: %v", err)
		}
	}
	return x
}

func TestReindexKeepsChangesMadeDuringTheRebuild(t *testing.T) {
	x := newRebuildFixture(t)
	mark, _ := x.source.ChangeMark(context.Background())
	if err := Reindex(context.Background(), x.engine, x.source); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(x.source.current(), x.engine.index()); diff != "" {
		t.Errorf("index after reindex (-catalog +index):\n%s", diff)
	}
	if want := mark.Add(-replayMargin); !x.source.since.Equal(want) {
		t.Errorf("replayed changes since %v, want the mark less the margin, %v", x.source.since, want)
	}
}

// TestRebuildAloneLosesChangesMadeDuringIt shows that the fixture models
// the loss that Reindex repairs.
func TestRebuildAloneLosesChangesMadeDuringIt(t *testing.T) {
	x := newRebuildFixture(t)
	src := x.source
	if err := x.engine.Rebuild(context.Background(), func(yield func(Document) error) error {
		return src.AllDocuments(context.Background(), yield)
	}); err != nil {
		t.Fatal(err)
	}
	got := x.engine.index()
	if got[x.renamed.ID].Name == x.renamed.Name {
		t.Error("the rename survived the swap")
	}
	if _, ok := got[x.archived.ID]; !ok {
		t.Error("the archived product left the index")
	}
	if _, ok := got[x.created.ID]; ok {
		t.Error("the created product is in the index")
	}
}

func TestReindexFailures(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name         string
		markErr      error
		rebuildErr   error
		changedErr   error
		wantErr      string
		wantRebuilds int
		wantReplay   bool
	}{
		{name: "no mark, no rebuild", markErr: boom, wantErr: "change mark: boom"},
		{name: "failed rebuild, no replay", rebuildErr: boom, wantErr: "reindex mem: boom", wantRebuilds: 1},
		{name: "failed replay", changedErr: boom, wantErr: "replay changes since", wantRebuilds: 1, wantReplay: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := newRebuildFixture(t)
			x.source.markErr, x.source.changedErr, x.engine.rebuildErr = tt.markErr, tt.changedErr, tt.rebuildErr
			err := Reindex(context.Background(), x.engine, x.source)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, boom) {
				t.Fatalf("error %v, want %q wrapping boom", err, tt.wantErr)
			}
			if x.engine.rebuilds != tt.wantRebuilds {
				t.Errorf("%d rebuilds, want %d", x.engine.rebuilds, tt.wantRebuilds)
			}
			if replayed := !x.source.since.IsZero(); replayed != tt.wantReplay {
				t.Errorf("replayed: %v, want %v", replayed, tt.wantReplay)
			}
		})
	}
}

// A cooperative's change reaches its products, unless SkipCooperative says
// it leaves their documents as they were.
func TestHandleCooperativeChanges(t *testing.T) {
	coop := uuid.New()
	old := Document{ID: uuid.New(), Name: "Chè búp", CooperativeID: coop, CooperativeName: "HTX Chè Tân Cương"}
	renamed := old
	renamed.CooperativeName = "HTX Chè Tân Cương Thái Nguyên"
	engine, source := newMemEngine(old), newMemSource(renamed)
	statsOnly := func(p []byte) bool { return string(p) == `{"change":"product_stats"}` }
	ix := &Indexer{Engine: engine, Source: source, ProductTopic: "product", CooperativeTopic: "coop", SkipCooperative: statsOnly}
	ctx := context.Background()

	msg := func(payload string) []outbox.Message {
		return []outbox.Message{{Topic: "coop", Key: coop.String(), Payload: json.RawMessage(payload)}}
	}
	if err := ix.Handle(ctx, msg(`{"change":"product_stats"}`)); err != nil {
		t.Fatal(err)
	}
	if got := engine.index()[old.ID].CooperativeName; got != old.CooperativeName {
		t.Errorf("after a change of counts only: %q, want the document untouched", got)
	}
	if err := ix.Handle(ctx, msg(`{}`)); err != nil {
		t.Fatal(err)
	}
	if got := engine.index()[old.ID].CooperativeName; got != renamed.CooperativeName {
		t.Errorf("after a change of the cooperative: %q, want %q", got, renamed.CooperativeName)
	}
}
