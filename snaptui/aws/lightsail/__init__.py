"""Lightsail: its own API (``lightsail`` client, 2016-11-28) and objects; no Textual here."""
