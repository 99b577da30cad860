#!/usr/bin/env bash
# Screenshots of the grading reports in headless Chromium (Debian's `chromium`), to look at what a teacher
# and a student see: the class summary and every student's report, first screen and full page.
# Usage: bash bench/grade-screens.sh [out dir]   (after npm run grade; default out: reports/grades/screens)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-reports/grades/screens}
command -v chromium >/dev/null || { echo "grade-screens: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
[[ -f reports/grades/index.html ]] || { echo "grade-screens: no reports/grades/index.html (run npm run grade first)" >&2; exit 2; }
mkdir -p "$out"
shot() { # page, file, height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,$3" \
    --screenshot="$out/$2" "file://$PWD/$1" >/dev/null 2>&1
  echo "$out/$2"
}
shot reports/grades/index.html class.png 1000
shot reports/grades/index.html class-full.png 2200
for report in reports/grades/*/index.html; do
  id=$(basename "$(dirname "$report")")
  [[ $id == screens ]] && continue
  shot "$report" "student-$id.png" 1000
  shot "$report" "student-$id-full.png" 4000
done
