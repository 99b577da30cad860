// A trivial HTTP server for `npm run bench:load`: it listens on 127.0.0.1 only and answers every request
// with a small JSON body naming a "pod". Like kube-proxy, it picks the pod once per connection
// (round-robin over -pods names), so the benchmark also shows how connection reuse skews balancing.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
)

type podKey struct{}

func main() {
	port := flag.Int("port", 0, "port on 127.0.0.1 (0 = any free port)")
	pods := flag.Int("pods", 3, "number of pod names, chosen round-robin per connection")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var conns atomic.Uint64
	bodies := make([][]byte, *pods)
	for i := range bodies {
		bodies[i] = []byte(fmt.Sprintf("{\n  \"component\": \"bench\",\n  \"pod\": \"bench-%d\"\n}\n", i))
	}
	srv := &http.Server{
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, podKey{}, int((conns.Add(1)-1)%uint64(*pods)))
		},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body := bodies[r.Context().Value(podKey{}).(int)]
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		}),
	}
	// The parent reads the port from this line.
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
