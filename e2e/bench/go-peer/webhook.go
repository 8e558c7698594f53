package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// runWebhook serves an admission webhook that judges nothing: every
// AdmissionReview is answered allowed, with its uid. Registered in place of
// landlord's, it shows what calling any webhook costs the API server, which
// bounds how close pods/s with webhooks can come to pods/s without.
func runWebhook(args []string) error {
	fs := flag.NewFlagSet("webhook", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to serve HTTPS on")
	certFile := fs.String("cert", "", "serving certificate (PEM)")
	keyFile := fs.String("key", "", "its private key (PEM)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *certFile == "" || *keyFile == "" {
		return usageError{"--cert and --key are required"}
	}
	certificate, err := tls.LoadX509KeyPair(*certFile, *keyFile)
	if err != nil {
		return fmt.Errorf("loading --cert %s and --key %s: %w", *certFile, *keyFile, err)
	}
	listener, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", *listen, err)
	}
	// As the API server calls landlord's webhook: HTTP/1.1 over TLS.
	tlsListener := tls.NewListener(listener, &tls.Config{
		Certificates: []tls.Certificate{certificate},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"http/1.1"},
	})
	fmt.Printf("serving on %s\n", listener.Addr())
	server := &http.Server{Handler: http.HandlerFunc(allowEverything)}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-stop
		server.Close()
	}()
	if err := server.Serve(tlsListener); err != http.ErrServerClosed {
		return err
	}
	return nil
}

type reviewRequest struct {
	Request struct {
		UID string `json:"uid"`
	} `json:"request"`
}

type reviewResponse struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Response   struct {
		UID     string `json:"uid"`
		Allowed bool   `json:"allowed"`
	} `json:"response"`
}

func allowEverything(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	var review reviewRequest
	if err == nil {
		err = json.Unmarshal(body, &review)
	}
	if err != nil || review.Request.UID == "" {
		http.Error(w, "not an AdmissionReview with a request.uid", http.StatusBadRequest)
		return
	}
	answer := reviewResponse{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"}
	answer.Response.UID = review.Request.UID
	answer.Response.Allowed = true
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(answer)
}
