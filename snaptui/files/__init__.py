"""Files inside snapshots: filesystems read from blocks, safe saves, history and diff."""
