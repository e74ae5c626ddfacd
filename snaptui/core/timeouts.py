"""How long one AWS call may take: the defaults behind --connect-timeout/--read-timeout.

A silent endpoint (accepts, never answers) fails a call after about
``MAX_ATTEMPTS x READ_TIMEOUT`` plus backoff. Attempts include the first try (the client sets
botocore's ``total_max_attempts``); standard/adaptive backoff is at most 0.5+1+2+4 s here, so
5 x 8 s + at most 7.5 s, measured 44 s, where botocore's own defaults (60 s x 5, or our old
30 s x 8) kept a cron run hanging for minutes per call. Throttling and 5xx answers still get
the same four retries, which is what keeps reads whole at 50% faults.
"""

from __future__ import annotations

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 8.0
MAX_ATTEMPTS = 5
