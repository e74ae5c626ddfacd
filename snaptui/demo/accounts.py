"""Accounts in the demo world: each has its own snapshot locks, DLM policies, Recycle Bin rules,
Backup recovery points and fast snapshot restores, as each AWS account does.

moto keeps its own resources per account and maps assumed-role keys to the role's account
(moto.iam.models.get_account_id_from); the layers the demo adds for what moto lacks kept one
account's state. This layer gives a request signed with another account's keys that
account's own layers, empty until something is made there (a new AWS account has no DLM
policy and no Recycle Bin rule), so a member account never sees the home account's.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

from snaptui.demo.http_layer import App, StartResponse

_KEY = re.compile(r"Credential=([A-Za-z0-9]+)/")

# An account's own layers around moto: (account id, moto's app) -> app.
LayersFor = Callable[[str, App], App]


def account_of(environ: dict[str, Any]) -> str:
    """The account moto will act in for this request: the signing key's account."""
    from moto.iam.models import get_account_id_from

    found = _KEY.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return str(get_account_id_from(found.group(1) if found else ""))


def member_of(environ: dict[str, Any]) -> str | None:
    """The member account a request acts in; None for moto's default (the demo's home)."""
    from moto.core.models import DEFAULT_ACCOUNT_ID

    account = account_of(environ)
    return None if account == DEFAULT_ACCOUNT_ID else account


class PerAccount:
    """The home account's layers for its requests; for any other account, its own layers
    (made on its first request, dropped when the world is reset)."""

    def __init__(self, home: str, home_layers: LayersFor, layers_for: LayersFor) -> None:
        self.home, self.home_layers, self.layers_for = home, home_layers, layers_for
        self._chains: dict[str, App] = {}
        self._lock = threading.Lock()

    def wrap(self, app: App) -> App:
        home_chain = self.home_layers(self.home, app)

        def dispatch(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            account = account_of(environ)
            if account == self.home:
                return home_chain(environ, start_response)
            with self._lock:
                chain = self._chains.get(account)
                if chain is None:
                    chain = self._chains[account] = self.layers_for(account, app)
            return chain(environ, start_response)

        return dispatch

    def reset(self) -> None:
        with self._lock:
            self._chains.clear()
