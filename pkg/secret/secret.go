// Package secret seals account secrets (cookies, proxy credentials) with
// AES-256-GCM before they reach Postgres, and hashes API tokens, so a database
// dump alone reveals neither.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
)

// Box encrypts and decrypts with one key.
type Box struct{ aead cipher.AEAD }

// version prefixes every sealed value so the key or algorithm can rotate.
const version byte = 1

// NewBox builds a Box from a base64 (std or URL, padded or not) 32-byte key.
func NewBox(keyB64 string) (*Box, error) {
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err = enc.DecodeString(keyB64); err == nil {
			break
		}
	}
	if err != nil || len(key) != 32 {
		return nil, errors.New("secret: key must be 32 bytes, base64-encoded (openssl rand -base64 32)")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	return &Box{aead: aead}, nil
}

// NewKey returns a fresh random key in the form NewBox takes.
func NewKey() string {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

// Seal encrypts plain. aad binds the ciphertext to its row (e.g. the account
// ID), so a value copied to another row does not decrypt.
func (b *Box) Seal(plain, aad []byte) []byte {
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := append([]byte{version}, nonce...)
	return b.aead.Seal(out, nonce, plain, aad)
}

// Open decrypts what Seal produced with the same aad.
func (b *Box) Open(sealed, aad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n || sealed[0] != version {
		return nil, errors.New("secret: malformed sealed value")
	}
	plain, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], aad)
	if err != nil {
		return nil, fmt.Errorf("secret: open: %w", err)
	}
	return plain, nil
}

// NewToken returns a new API token to show once, and its hash to store.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	token = "fo_" + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token. Tokens are 256 random bits, so a
// plain SHA-256 (no salt, no stretching) is enough and allows lookup by hash.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Fingerprint is a short, non-reversible label for logs ("sha256:ab12…").
func Fingerprint(s string) string {
	h := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(h[:4])
}
