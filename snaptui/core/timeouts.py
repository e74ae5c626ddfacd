"""How long one AWS call may take: the defaults behind --connect-timeout/--read-timeout.

A silent endpoint (accepts, never answers) fails a call after about
``MAX_ATTEMPTS x READ_TIMEOUT`` plus backoff (under a second per retry in botocore's standard
and adaptive modes at these counts): 4 x 10 s + ~7 s, under a minute, where botocore's own
defaults (60 s x 5, or our old 30 s x 8) kept a cron run hanging for minutes per call.
"""

from __future__ import annotations

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_ATTEMPTS = 4
