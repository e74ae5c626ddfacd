#!/usr/bin/env bash
# The whole test command: lint, format, types, import contracts, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export MOTO_EC2_LOAD_DEFAULT_AMIS=false
# Never reach real AWS from tests, even by accident: no real credentials, no IMDS lookups.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL || true
echo "== ruff"; python -m ruff check .
echo "== ruff format"; python -m ruff format --check .
echo "== mypy"; python -m mypy
echo "== import contracts"; lint-imports
echo "== pytest"; python -m pytest "$@"
