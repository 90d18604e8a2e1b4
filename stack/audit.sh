#!/usr/bin/env bash
# npm audit of the production dependencies at high severity. A finding fails the run. A registry
# that does not serve npm's advisory endpoint (a mirror or proxy answering 405) cannot be
# audited against: that is said in one line and does not fail the run, since nothing was checked.
set -uo pipefail
output=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
if [ $status -ne 0 ] && grep -q "audit endpoint returned an error" <<<"$output"; then
  echo "[audit] not checked: the npm registry in use does not serve the advisory endpoint ($(grep -o '40[0-9] [A-Za-z ]*' <<<"$output" | head -1))"
  exit 0
fi
echo "$output"
exit $status
