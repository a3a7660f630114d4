package main

// The served TLS certificate: generated (ECDSA P-256, self-signed for 127.0.0.1) or loaded
// from PEM files, with its SHA-1 and SHA-256 thumbprints. vcsim's built-in certificate is
// RSA-1024, which OpenSSL 3 refuses, so it is never used.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

type servedCert struct {
	pair   tls.Certificate
	pem    string
	sha1   string
	sha256 string
}

func loadOrGenerateCert(certFile, keyFile string) (*servedCert, error) {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return nil, fmt.Errorf("-cert and -key go together")
		}
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("load -cert/-key: %v", err)
		}
		return describeCert(pair), nil
	}
	return generateCert()
}

func generateCert() (*servedCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "127.0.0.1", Organization: []string{"esxvi vcsim test bed"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	return describeCert(tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}), nil
}

func describeCert(pair tls.Certificate) *servedCert {
	der := pair.Certificate[0]
	s1 := sha1.Sum(der)
	s256 := sha256.Sum256(der)
	return &servedCert{
		pair:   pair,
		pem:    string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		sha1:   colonHex(s1[:]),
		sha256: colonHex(s256[:]),
	}
}

// colonHex formats a digest the way vSphere shows thumbprints: "AA:BB:...".
func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

func (c *servedCert) serverConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{c.pair},
		NextProtos:   []string{"http/1.1"},
		MinVersion:   tls.VersionTLS12,
	}
}
