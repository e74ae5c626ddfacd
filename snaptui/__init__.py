"""snaptui: browse, cost and restore AWS EBS snapshots from the terminal."""

__version__ = "0.1.0"
