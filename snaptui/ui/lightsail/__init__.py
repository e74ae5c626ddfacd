"""The Lightsail view (``:lightsail``): regions -> instances and disks -> snapshots."""
