module kubeproof.local/pause

go 1.22
