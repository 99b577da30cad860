# The suite's test image: agnhost built from the pinned k8s.io/kubernetes (test/images/agnhost), on the
# testbed's probe rootfs so a shell, curl and nc are there for debugging. Tagged with the exact name
# the e2e suite expects (registry.k8s.io/e2e-test-images/agnhost:<version>) by netpol.sh.
ARG BASE
FROM ${BASE}
COPY agnhost /agnhost
ENTRYPOINT ["/agnhost"]
CMD ["pause"]
