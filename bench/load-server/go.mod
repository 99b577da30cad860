module kubeproof.local/bench/load-server

go 1.23
