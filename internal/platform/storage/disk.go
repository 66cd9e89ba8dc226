package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Disk keeps files in a folder of the local disk, one file per key. It
// keeps no metadata: the content type is the key's extension's. A single
// server, or servers sharing the folder, can use it; several replicas
// without a shared volume need an object store.
type Disk struct {
	root    string
	baseURL string
}

var _ Storage = (*Disk)(nil)

// NewDisk returns the storage rooted at dir, creating it when missing;
// URL(key) is baseURL + "/" + key.
func NewDisk(dir, baseURL string) (*Disk, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: %s: %w", dir, err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", root, err)
	}
	return &Disk{root: root, baseURL: strings.TrimSuffix(baseURL, "/")}, nil
}

func (d *Disk) path(key string) (string, error) {
	if !ValidKey(key) {
		return "", fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	return filepath.Join(d.root, filepath.FromSlash(key)), nil
}

// Put writes r to a temporary file beside the target and renames it into
// place, so that a reader sees the old file or the whole new one.
func (d *Disk) Put(ctx context.Context, key, _ string, r io.Reader) (err error) {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, r); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	if err = os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	return nil
}

// Open opens the file at key.
func (d *Disk) Open(_ context.Context, key string) (io.ReadCloser, Info, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, Info{}, fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, Info{}, fmt.Errorf("storage: %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, Info{}, fmt.Errorf("storage: open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, Info{}, fmt.Errorf("storage: open %s: %w", key, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, Info{}, fmt.Errorf("storage: %s is not a file: %w", key, ErrNotFound)
	}
	return f, Info{Size: st.Size(), ContentType: ContentType(key)}, nil
}

// Delete removes the file at key.
func (d *Disk) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// URL returns the file's address under the base URL.
func (d *Disk) URL(key string) string { return d.baseURL + "/" + key }
