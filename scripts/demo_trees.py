"""The demo disks' file trees, one per daily version (used by make_demo_disks.py).

Deterministic: the same trees every run. The story the file browser, history and diff show:
nginx.conf is tuned on day 4 and broken on day 11 (the good copy is in the snapshots before),
conf.d/legacy.conf is deleted on day 7, logs grow every day, /srv/app gets a release on days
3 and 9 with ``current`` moved to it, jdoe's notes change now and then. Day 0 also carries the
cases a careful reader must handle: a sparse file, hard links, an absolute symlink, a relative
one that climbs out of the tree, and a file name with a control character.
"""

from __future__ import annotations

import hashlib
import random
import stat
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

DAY0 = datetime(2026, 11, 17, 18, 0, tzinfo=UTC)  # version n's changes: DAY0 + n days


@dataclass(frozen=True)
class Entry:
    kind: str  # file | dir | symlink | hardlink (target names the first path)
    mode: int = 0o644
    uid: int = 0
    gid: int = 0
    mtime: int = 0
    data: bytes = b""
    size: int = 0  # logical size (files); > len(data) + holes for sparse files
    target: str = ""
    holes: tuple[tuple[int, bytes], ...] = field(default=())  # sparse: (offset, data) extents

    @property
    def type_bits(self) -> int:
        return {"dir": stat.S_IFDIR, "symlink": stat.S_IFLNK}.get(self.kind, stat.S_IFREG)

    def extents(self) -> list[tuple[int, bytes]]:
        return list(self.holes) if self.holes else [(0, self.data)]

    def content(self) -> bytes:
        out = bytearray(self.size)
        for offset, data in self.extents():
            out[offset : offset + len(data)] = data
        return bytes(out)

    def manifest(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "mode": self.mode, "uid": self.uid,
                                  "gid": self.gid, "mtime": self.mtime}  # fmt: skip
        if self.kind in ("file", "hardlink"):
            out["size"] = self.size
        if self.kind == "file":
            out["sha256"] = hashlib.sha256(self.content()).hexdigest()
        if self.kind in ("symlink", "hardlink"):
            out["target"] = self.target
        return out


def _t(day: int, hours: float = 0) -> int:
    return int((DAY0 + timedelta(days=day, hours=hours)).timestamp())


def f(data: bytes | str, day: int = 0, mode: int = 0o644, uid: int = 0, gid: int = 0) -> Entry:
    raw = data.encode() if isinstance(data, str) else data
    return Entry("file", mode, uid, gid, _t(day), raw, len(raw))


def d(day: int = 0, mode: int = 0o755, uid: int = 0, gid: int = 0) -> Entry:
    return Entry("dir", mode, uid, gid, _t(day))


def ln(target: str, day: int = 0, uid: int = 0) -> Entry:
    return Entry("symlink", 0o777, uid, 0, _t(day), target=target)


def nginx_conf(version: int) -> str:
    workers = {0: "auto", 1: "4", 2: "8"}[min(version, 2)]
    connections = 1024 if version == 0 else 4096
    gzip = "    gzip on;\n    gzip_types text/plain application/json;\n"
    if version >= 2:  # the day-11 edit: a missing semicolon breaks nginx -t
        gzip = "    gzip on\n    gzip_types text/plain application/json;\n"
    return (
        "user www-data;\n"
        f"worker_processes {workers};\n"
        "pid /run/nginx.pid;\n"
        "include /etc/nginx/modules-enabled/*.conf;\n\n"
        f"events {{\n    worker_connections {connections};\n}}\n\n"
        "http {\n    sendfile on;\n    tcp_nopush on;\n    types_hash_max_size 2048;\n"
        "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        "    access_log /var/log/nginx/access.log;\n    error_log /var/log/nginx/error.log;\n"
        f"{gzip}    include /etc/nginx/conf.d/*.conf;\n}}\n"
    )


def _log_lines(seed: str, day: int, count: int) -> str:
    rng = random.Random(f"{seed}-{day}")
    paths = ["/", "/api/orders", "/api/cart", "/static/app.js", "/login", "/health", "/api/items"]
    lines = []
    start = DAY0 + timedelta(days=day - 1)
    for n in range(count):
        when = start + timedelta(seconds=n * 86400 // count)
        ip = f"10.0.{rng.randrange(4)}.{rng.randrange(2, 250)}"
        status = rng.choice([200] * 20 + [301, 304, 404, 500])
        lines.append(
            f'{ip} - - [{when:%d/%b/%Y:%H:%M:%S} +0000] "GET {rng.choice(paths)} HTTP/1.1" '
            f'{status} {rng.randrange(200, 9000)} "-" "Mozilla/5.0"\n'
        )
    return "".join(lines)


def _app_files(release: str, day: int) -> dict[str, Entry]:
    base = f"/srv/app/releases/{release}"
    js = "".join(f"function h{n}(x){{return x*{n}+{len(release)};}}\n" for n in range(900))
    return {
        base: d(day, uid=1001, gid=1001),
        f"{base}/VERSION": f(release + "\n", day, uid=1001, gid=1001),
        f"{base}/app.py": f(f"# app {release}\nimport os\nPORT = 8080\n", day, uid=1001, gid=1001),
        f"{base}/requirements.txt": f("flask==3.1.0\ngunicorn==23.0\n", day, uid=1001, gid=1001),
        f"{base}/static": d(day, uid=1001, gid=1001),
        f"{base}/static/app.js": f(js, day, uid=1001, gid=1001),
    }


def _base_root() -> dict[str, Entry]:
    passwd = (
        "root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
        "jdoe:x:1000:1000:Jane Doe:/home/jdoe:/bin/bash\ndeploy:x:1001:1001::/home/deploy:/bin/sh\n"
    )
    mime = "".join(f"    application/x-demo-{n} demo{n};\n" for n in range(120))
    binary = hashlib.sha256(b"python3.12").digest() * 2048  # 64 KiB stand-in for a binary
    tree: dict[str, Entry] = {
        "/": d(),
        "/lost+found": d(mode=0o700),
        "/etc": d(),
        "/etc/hostname": f("web-1\n"),
        "/etc/hosts": f("127.0.0.1 localhost\n10.0.1.15 web-1\n"),
        "/etc/fstab": f("LABEL=root / ext4 defaults,noatime 0 1\n"),
        "/etc/passwd": f(passwd),
        "/etc/shadow": f("root:*:20000:0:99999:7:::\njdoe:!:20000::::::\n", mode=0o640, gid=42),
        "/etc/os-release": f('NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\n'),
        "/etc/localtime": ln("/usr/share/zoneinfo/UTC"),
        "/etc/ssh": d(),
        "/etc/ssh/sshd_config": f("PermitRootLogin no\nPasswordAuthentication no\n", mode=0o600),
        "/etc/nginx": d(),
        "/etc/nginx/nginx.conf": f(nginx_conf(0)),
        "/etc/nginx/mime.types": f("types {\n" + mime + "}\n"),
        "/etc/nginx/conf.d": d(),
        "/etc/nginx/conf.d/app.conf": f("server {\n    listen 80;\n    location / {\n"
                                         "        proxy_pass http://127.0.0.1:8080;\n    }\n}\n"),
        "/etc/nginx/conf.d/legacy.conf": f("server {\n    listen 8081;\n"
                                            "    root /var/www/old;\n}\n"),
        "/usr": d(),
        "/usr/bin": d(),
        "/usr/bin/python3.12": f(binary, mode=0o755),
        "/usr/bin/python3": Entry("hardlink", 0o755, 0, 0, _t(0), target="/usr/bin/python3.12",
                                  size=len(binary)),
        "/usr/share": d(),
        "/usr/share/zoneinfo": d(),
        "/usr/share/zoneinfo/UTC": f(b"TZif2" + bytes(40) + b"UTC\n"),
        "/var": d(),
        "/var/lib": d(),
        "/var/lib/app": d(uid=1001, gid=1001),
        "/var/lib/app/cache.db": Entry(
            "file", 0o640, 1001, 1001, _t(0), size=64 * 1024 * 1024,
            holes=((0, b"SQLite format 3\x00" + bytes(4080)), (32 * 1024 * 1024, b"page" * 1024)),
        ),
        "/var/log": d(),
        "/var/log/nginx": d(uid=33, gid=4),
        "/home": d(),
        "/home/jdoe": d(mode=0o750, uid=1000, gid=1000),
        "/home/jdoe/.bashrc": f("export EDITOR=vim\nalias ll='ls -l'\n", uid=1000, gid=1000),
        "/home/jdoe/.ssh": d(mode=0o700, uid=1000, gid=1000),
        "/home/jdoe/.ssh/authorized_keys": f("ssh-ed25519 AAAAC3Nz...demo jdoe\n", mode=0o600,
                                             uid=1000, gid=1000),
        "/home/jdoe/notes\x1b[31mred.txt": f("a name with an escape sequence in it\n",
                                             uid=1000, gid=1000),
        "/home/deploy": d(uid=1001, gid=1001),
        "/srv": d(),
        "/srv/app": d(uid=1001, gid=1001),
        "/srv/app/releases": d(uid=1001, gid=1001),
        "/srv/app/shared": d(uid=1001, gid=1001),
        "/srv/app/shared/config.yml": f("db_host: db-1.internal\npool: 10\n", mode=0o640,
                                        uid=1001, gid=1001),
        "/srv/app/shared/escape": ln("../../../../../etc/shadow", uid=1001),
    }  # fmt: skip
    tree.update(_app_files("2026-11-10", 0))
    tree["/srv/app/current"] = ln("releases/2026-11-10", uid=1001)
    return tree


def root_tree(days: int = 14) -> tuple[list[dict[str, Entry]], list[int]]:
    """web-1's root filesystem on each of ``days`` daily snapshots."""
    tree = _base_root()
    access, errors, syslog = "", "", ""
    notes = "todo: rotate certs\n"
    versions = []
    for day in range(days):
        access += _log_lines("access", day, 300 + 40 * day)
        errors += f"{DAY0 + timedelta(days=day):%Y/%m/%d} 03:00:01 [warn] upstream slow\n"
        syslog += _log_lines("syslog", day, 120).replace("GET", "CRON")
        tree["/var/log/nginx/access.log"] = f(access, day, mode=0o640, uid=33, gid=4)
        tree["/var/log/nginx/error.log"] = f(errors, day, mode=0o640, uid=33, gid=4)
        tree["/var/log/syslog"] = f(syslog, day, mode=0o640, gid=4)
        tree["/var/log/nginx"] = replace(tree["/var/log/nginx"], mtime=_t(day))
        tree["/var/log"] = replace(tree["/var/log"], mtime=_t(day))
        if day in (4, 11):
            tree["/etc/nginx/nginx.conf"] = f(nginx_conf(1 if day == 4 else 2), day)
            tree["/etc/nginx"] = replace(tree["/etc/nginx"], mtime=_t(day))
        if day == 7:
            del tree["/etc/nginx/conf.d/legacy.conf"]
            tree["/etc/nginx/conf.d"] = replace(tree["/etc/nginx/conf.d"], mtime=_t(day))
        if day in (3, 9):
            release = f"{DAY0 + timedelta(days=day):%Y-%m-%d}"
            tree.update(_app_files(release, day))
            tree["/srv/app/current"] = ln(f"releases/{release}", day, uid=1001)
            tree["/srv/app/releases"] = replace(tree["/srv/app/releases"], mtime=_t(day))
            tree["/srv/app"] = replace(tree["/srv/app"], mtime=_t(day))
        if day in (2, 6, 10, 13):
            notes += f"day {day}: checked backups\n"
            tree["/home/jdoe/notes.txt"] = f(notes, day, uid=1000, gid=1000)
            tree["/home/jdoe"] = replace(tree["/home/jdoe"], mtime=_t(day))
        versions.append(dict(tree))
    return versions, [_t(day) for day in range(days)]


def staging_tree(versions: int = 3) -> tuple[list[dict[str, Entry]], list[int]]:
    """staging-data: a raw ext4 data disk (no partition table) with database dumps."""
    tree: dict[str, Entry] = {
        "/": d(),
        "/lost+found": d(mode=0o700),
        "/dumps": d(uid=999, gid=999),
        "/README": f("staging data volume: nightly dumps, schema migrations\n"),
    }
    out, times = [], []
    for n in range(versions):
        day = n * 20
        rows = "".join(f"INSERT INTO orders VALUES ({k}, 'item-{k % 97}', {k * 3});\n"
                       for k in range(4000 * (n + 1)))  # fmt: skip
        tree[f"/dumps/orders-v{42 + n}.sql"] = f(rows, day, mode=0o600, uid=999, gid=999)
        if n >= 2:
            del tree[f"/dumps/orders-v{42 + n - 2}.sql"]
        tree["/dumps"] = replace(tree["/dumps"], mtime=_t(day))
        out.append(dict(tree))
        times.append(_t(day))
    return out, times
