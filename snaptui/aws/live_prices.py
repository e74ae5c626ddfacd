"""Live prices from the AWS Pricing API (cached for a day), with the bundled table as fallback.

Only used when the user asks (--live-prices, the UI's :prices). The arithmetic that reads the
Pricing API's documents is pure and lives in cost/pricing.py.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from snaptui.aws.diff_cache import default_cache_root
from snaptui.aws.errors import problem_from
from snaptui.aws.session import AwsContext
from snaptui.cost.pricing import Prices, bundled_prices, parse_pricing_products
from snaptui.cost.report import PriceBook, bundled_book

PRICES_FILE = "prices-live.json"
PRICE_MAX_AGE = timedelta(days=1)
_PRICING_REGION = "us-east-1"  # the Pricing API's endpoint region (also ap-south-1)


def pricing_client(ctx: AwsContext) -> Any:
    """A Pricing API client (served from us-east-1 for every region's prices).

    Its own client rather than ctx.client: prices are optional with a bundled fallback, so two
    attempts are enough, where the shared retry config (8 attempts, backoff) would keep the
    user waiting a minute on an endpoint without the API (moto answers HTTP 500).
    """
    import boto3
    from botocore.config import Config

    t = ctx.target
    session = boto3.Session(
        profile_name=t.profile,
        aws_access_key_id=t.access_key_id,
        aws_secret_access_key=t.secret_access_key,
    )
    config = Config(
        retries={"mode": "standard", "max_attempts": 2},
        connect_timeout=5,
        read_timeout=20,
        user_agent_extra="snaptui",
    )
    return session.client(
        "pricing", region_name=_PRICING_REGION, config=config, endpoint_url=t.effective_endpoint
    )


def fetch_live_prices(
    ctx: AwsContext,
    *,
    cache_root: Path | None = None,
    client: Any = None,
    now: datetime | None = None,
    max_age: timedelta = PRICE_MAX_AGE,
) -> tuple[PriceBook, list[str]]:
    """Prices from the Pricing API (cached for ``max_age``), else the bundled table.

    Only called when the user allowed it (--live-prices, or the UI's action). Returns the book
    and notes to show: a failure (moto does not implement Pricing; pricing:GetProducts may be
    denied) falls back to the bundled table and says so, never raises.
    """
    now = now or datetime.now(UTC)
    path = (cache_root or ctx.target.cache_root or default_cache_root()) / PRICES_FILE
    cached = _read_prices(path, now, max_age)
    if cached is not None:
        return cached, []
    bundled = bundled_book()
    try:
        pricing = client if client is not None else pricing_client(ctx)
        items: list[str] = []
        filters = [{"Type": "TERM_MATCH", "Field": "productFamily", "Value": "Storage Snapshot"}]
        for page in pricing.get_paginator("get_products").paginate(
            ServiceCode="AmazonEC2", Filters=filters
        ):
            items.extend(str(i) for i in page.get("PriceList", ()))
        live = parse_pricing_products(items, fallback=bundled_prices())
    except Exception as exc:  # any failure: keep working on the bundled table
        problem = problem_from(exc, _PRICING_REGION, "GetProducts")
        return bundled, [f"live prices unavailable ({problem}); using the {bundled.source}"]
    if not live:
        return bundled, [f"the Pricing API returned no snapshot prices; using the {bundled.source}"]
    table = {**bundled_prices(), **live}
    book = PriceBook(table, f"AWS Pricing API, fetched {now:%Y-%m-%d %H:%M} UTC", live=True)
    _write_prices(path, table, now)
    return book, []


def _read_prices(path: Path, now: datetime, max_age: timedelta) -> PriceBook | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        fetched = datetime.fromisoformat(str(doc["fetched_at"]))
        if not now - max_age <= fetched <= now:
            return None
        table = {
            str(r): Prices(float(p["standard"]), float(p["archive"]), float(p["retrieval"]))
            for r, p in doc["regions"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing or corrupt: fetch again
    return PriceBook(table, f"AWS Pricing API, fetched {fetched:%Y-%m-%d %H:%M} UTC", live=True)


def _write_prices(path: Path, table: Mapping[str, Prices], now: datetime) -> None:
    doc = {
        "fetched_at": now.isoformat(),
        "regions": {
            r: {"standard": p.standard, "archive": p.archive, "retrieval": p.retrieval}
            for r, p in table.items()
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-prices-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        Path(tmp).replace(path)
    except OSError:
        pass  # the cache is an optimisation; the figures are already in hand
