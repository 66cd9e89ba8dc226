// Package storage keeps uploaded files (product images) under keys such as
// "products/<product>/<sha256>-<image>-w400.jpg", behind the Storage
// interface: a local folder now (Disk), an S3-compatible bucket later.
// Keys are the files' addresses everywhere: in the database, in URLs and
// on disk.
package storage

import (
	"context"
	"errors"
	"io"
	"path"
	"regexp"
	"strings"
)

// Storage keeps files by key. Every implementation passes the contract
// suite in storagetest.
type Storage interface {
	// Put writes the file at key from r, replacing any file there. A reader
	// never sees a partly written file.
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	// Open returns the file at key, or an error matching ErrNotFound.
	Open(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes the file at key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
	// URL is where a browser fetches the file.
	URL(key string) string
}

// Info describes a stored file.
type Info struct {
	Size        int64
	ContentType string
}

// Errors of storage.
var (
	ErrNotFound   = errors.New("không tìm thấy tệp")
	ErrInvalidKey = errors.New("storage: invalid key")
)

// MaxKeyLen bounds a key's length in bytes.
const MaxKeyLen = 512

// keySegment is one path element: lower-case letters, digits, '.', '_' and
// '-', never starting with '.', so "..", hidden files and absolute or
// backslashed paths cannot be expressed.
var keySegment = regexp.MustCompile(`^[a-z0-9_-][a-z0-9._-]*$`)

// ValidKey reports whether key is a safe key: slash-separated segments
// of keySegment, at most MaxKeyLen bytes.
func ValidKey(key string) bool {
	if key == "" || len(key) > MaxKeyLen {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if !keySegment.MatchString(seg) {
			return false
		}
	}
	return true
}

// contentTypes are the types of the files the application stores, by
// extension; keys carry one so that any backend can serve them.
var contentTypes = map[string]string{
	".jpg":  "image/jpeg",
	".jpeg": "image/jpeg",
	".png":  "image/png",
	".webp": "image/webp",
}

// ContentType returns the media type of key by its extension, or
// application/octet-stream.
func ContentType(key string) string {
	if ct, ok := contentTypes[path.Ext(key)]; ok {
		return ct
	}
	return "application/octet-stream"
}
