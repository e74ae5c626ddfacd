"""The demo world's Lightsail: our own in-process backend (moto has none), on moto's port.

Requests whose ``X-Amz-Target`` is ``Lightsail_20161128.<Op>`` are answered here (wsgi.py);
everything else goes on to moto. The behaviours it reproduces are listed in store.py.
"""
