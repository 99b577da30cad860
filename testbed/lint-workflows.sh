#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, built once from the Go
# module proxy at the pinned version (testbed/versions.env) and cached like the testbed's other binaries.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bin="$(bin_dir actionlint "$ACTIONLINT_VERSION")/actionlint"
[[ -x $bin ]] || bash "$TESTBED_DIR/build-binaries.sh" actionlint
cd "$REPO_DIR"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
(( ${#workflows[@]} )) || die "no workflow under .github/workflows"
"$bin" -no-color "${workflows[@]}"
echo "actionlint $ACTIONLINT_VERSION: ${#workflows[@]} workflow(s) clean"
