"""The loopback cluster of `make cluster-check`: PostgreSQL (the machine's,
its own database), PgBouncer in transaction mode on 6433, two gunicorn servers
on 8101 and 8102, haproxy on 8100 checking /readyz. Redis db 1 holds the
sessions, caches and rate limits (its own key prefix)."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
DATABASE = "gp_cluster"
BALANCER, BOUNCER = 8100, 6433
SERVERS = {"s1": 8101, "s2": 8102}
REDIS_URL = "redis://127.0.0.1:6379/1"
METRICS_TOKEN = "cluster-check-" + uuid.uuid4().hex

HAPROXY_CFG = """\
global
    maxconn 512
    stats socket {run}/haproxy.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    option forwardfor
    option httplog
    log stdout format raw local0
frontend app
    bind 127.0.0.1:{balancer}
    # /metrics is for the internal scraper, never through the public balancer.
    http-request deny if {{ path /metrics }}
    default_backend servers
backend servers
    balance roundrobin
    option httpchk
    http-check send meth HEAD uri /readyz ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    http-response set-header X-Served-By %s
    # A busy server answers its check late, not never: 3 s before it counts.
    timeout check 3s
    default-server inter 500ms fall 3 rise 2
{servers}
"""

PGBOUNCER_INI = """\
[databases]
{database} = host=127.0.0.1 port=5432 dbname={database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {run}/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 400
ignore_startup_parameters = extra_float_digits
logfile = {run}/pgbouncer.log
pidfile = {run}/pgbouncer.pid
admin_users = postgres
"""


def url(port: int, path: str = "/") -> str:
    return f"http://127.0.0.1:{port}{path}"


def status_of(address: str, method: str = "GET") -> int:
    try:
        request = urllib.request.Request(address, method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class Stack:
    def __init__(self, run: Path) -> None:
        self.run = run
        self.procs: dict[str, subprocess.Popen] = {}
        self.prefix = f"cluster-{uuid.uuid4().hex[:8]}"
        direct = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST"))
        } | {
            "DJANGO_SECRET_KEY": "cluster-check-" + "k" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_HTTPS": "0",
            "DJANGO_BEHIND_PROXY": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{BOUNCER}/{DATABASE}",
            "DATABASE_POOLER": "transaction",
            "DATABASE_DIRECT_URL": direct,
            "REDIS_URL": REDIS_URL,
            "DJANGO_CACHE_PREFIX": self.prefix,
            "METRICS_TOKEN": METRICS_TOKEN,
            "DJANGO_STATIC_ROOT": str(run / "static"),
        }

    # --- PostgreSQL and PgBouncer ---------------------------------------------
    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")
            # UTC at the database: Django then never needs a session-level SET.
            conn.execute(f"ALTER DATABASE {DATABASE} SET timezone TO 'UTC'")

    def drop_database(self) -> None:
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **PG) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")

    def manage(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env | (env or {}),
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}: {result.stderr}")
        return result.stdout

    def start_pgbouncer(self) -> None:
        (self.run / "userlist.txt").write_text('"postgres" ""\n')
        ini = self.run / "pgbouncer.ini"
        ini.write_text(
            PGBOUNCER_INI.format(database=DATABASE, port=BOUNCER, run=self.run)
        )
        owner = pwd.getpwnam("postgres")
        for path in (self.run, ini, self.run / "userlist.txt"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        self._spawn("pgbouncer", ["pgbouncer", "-u", "postgres", str(ini)])
        wait_for(lambda: not port_free(BOUNCER), "PgBouncer on 6433")

    # --- app servers and the balancer -------------------------------------------
    def start_server(self, name: str) -> None:
        port = SERVERS[name]
        metrics = self.run / f"prometheus-{name}"
        env = self.env | {"PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        self._spawn(
            name,
            [sys.executable, "-m", "gunicorn", "genai_prep.wsgi:application",
             "-c", "python:genai_prep.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--timeout", "60", "--graceful-timeout", "20"],
            env=env,
        )  # fmt: skip
        wait_for(lambda: status_of(url(port, "/readyz")) == 200, f"{name} ready")

    def stop_server(self, name: str) -> float:
        """SIGTERM (gunicorn finishes requests in flight); seconds until it exited."""
        started = time.monotonic()
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        return time.monotonic() - started

    def start_haproxy(self) -> None:
        servers = "\n".join(
            f"    server {n} 127.0.0.1:{p} check" for n, p in SERVERS.items()
        )
        cfg = self.run / "haproxy.cfg"
        cfg.write_text(
            HAPROXY_CFG.format(run=self.run, balancer=BALANCER, servers=servers)
        )
        self._spawn("haproxy", ["haproxy", "-db", "-f", str(cfg)])
        wait_for(lambda: self.backend_states() == {"s1": "UP", "s2": "UP"}, "haproxy")

    def haproxy(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.run / "haproxy.sock"))
            sock.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def backend_states(self) -> dict[str, str]:
        """Each server's check status as haproxy sees it (UP, DOWN, DRAIN...)."""
        try:
            lines = self.haproxy("show stat").splitlines()
        except OSError:
            return {}
        header = lines[0].lstrip("# ").split(",")
        states = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "servers" and row.get("svname") in SERVERS:
                states[row["svname"]] = row["status"]
        return states

    def server_sessions(self, name: str) -> int:
        for line in self.haproxy("show stat").splitlines()[1:]:
            fields = line.split(",")
            if fields[:2] == ["servers", name]:
                return int(fields[4] or 0)  # scur: current sessions
        return 0

    # --- processes ---------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> None:
        if shutil.which(command[0]) is None and not command[0].startswith("/"):
            raise RuntimeError(f"{command[0]} is not installed")
        log = (self.run / f"{name}.out").open("a")
        self.procs[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):  # the balancer first, the pooler last
            proc = self.procs.pop(name)
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    def clear_redis(self) -> None:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{self.prefix}:*"):
            client.delete(key)
        client.close()
