package catalog_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"htxmarket/internal/catalog"
	"htxmarket/internal/catalog/catalogtest"
)

// memMedia keeps files in memory. When pause is set, the first Delete
// says so on deleting and waits for resume before it removes anything: a
// request that has committed and not yet removed its files.
type memMedia struct {
	mu    sync.Mutex
	files map[string][]byte

	pause    bool
	deleting chan struct{}
	resume   chan struct{}
	once     sync.Once
}

func newMemMedia() *memMedia {
	return &memMedia{files: map[string][]byte{}, deleting: make(chan struct{}), resume: make(chan struct{})}
}

func (m *memMedia) Put(_ context.Context, key, _ string, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[key] = b
	return nil
}

func (m *memMedia) Delete(_ context.Context, key string) error {
	if m.pause {
		m.once.Do(func() {
			close(m.deleting)
			<-m.resume
		})
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, key)
	return nil
}

func (m *memMedia) URL(key string) string { return "/media/" + key }

func (m *memMedia) has(url string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.files[url[len("/media/"):]]
	return ok
}

// TestDeletedImageKeepsTheFilesOfItsReupload is issue #16's third fault:
// an image is deleted and, before the delete has removed its files, the
// same file is uploaded again to the product. The new image's files must
// still be there once both requests are done.
func TestDeletedImageKeepsTheFilesOfItsReupload(t *testing.T) {
	media := newMemMedia()
	s, d := newServiceWith(t, catalog.WithImages(media, catalog.ImageLimits{}, nil))
	ctx := context.Background()
	coop := catalogtest.NewCooperative(t, d, "HTX Gốm Bát Tràng", "ha-noi", "verified")
	manager := managerOf(coop)
	p := newActiveProduct(t, s, coop, "Bình gốm men lam", "binh-gom")
	file := picture(t, 64, 48, colourOf("bình gốm"), false)
	p, err := s.AddImage(ctx, manager, p.Slug, catalog.NewImage{Data: file, Alt: "bình"})
	if err != nil {
		t.Fatal(err)
	}
	first := p.Images[0]

	media.pause = true
	deleted := make(chan error, 1)
	go func() {
		_, err := s.DeleteImage(ctx, manager, p.Slug, first.ID)
		deleted <- err
	}()
	select {
	case <-media.deleting: // committed; its files not yet removed
	case <-time.After(10 * time.Second):
		t.Fatal("the delete never reached its files")
	}
	again, err := s.AddImage(ctx, manager, p.Slug, catalog.NewImage{Data: bytes.Clone(file), Alt: "bình, lần nữa"})
	if err != nil {
		t.Fatalf("upload the same file again: %v", err)
	}
	close(media.resume)
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	if len(again.Images) != 1 {
		t.Fatalf("%d images, want 1", len(again.Images))
	}
	img := again.Images[0]
	for _, u := range []string{img.URL, img.ThumbURL, img.MediumURL} {
		if !media.has(u) {
			t.Errorf("%s of the live image is gone", u)
		}
	}
}
