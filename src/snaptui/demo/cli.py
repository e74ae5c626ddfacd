"""`snaptui demo`: run only the demo world until Ctrl-C (filled in by the demo-world work)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="run the demo world (moto server) on 127.0.0.1")
    p.set_defaults(func=lambda _args: 0)
