"""Subcommands that wire layers together (they may import the UI and the demo world)."""
