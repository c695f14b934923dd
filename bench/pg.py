"""A PostgreSQL of the benchmark's own, configured as production would be.

`python -m bench --postgres production` runs the scales against a cluster it
starts here (initdb on first use, in `DATA_DIR`, kept between runs so the
generated data can be reused) with the settings of docs/DEPLOY.md sized to
this machine's memory, on a free port of 127.0.0.1, and stops it at the end.
The machine's shared cluster (Debian's defaults: 128 MB of shared buffers) is
never reconfigured. `--postgres machine` (the default) uses BENCH_DATABASE_URL
as it is.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
from pathlib import Path

from bench import server

DATA_DIR = Path(os.environ.get("BENCH_PG_DIR", "/var/tmp/genai-prep-bench-pg"))
OS_USER = "postgres"  # initdb and postgres refuse to run as root
MB = 1024 * 1024


def production_settings(memory_bytes: int) -> dict[str, str]:
    """docs/DEPLOY.md's settings for a database server with `memory_bytes` of
    RAM to itself: the usual starting points (a quarter of the memory for
    shared buffers, three quarters assumed in the OS cache, SSD page costs),
    durability as production keeps it (fsync, synchronous commit)."""
    memory_mb = memory_bytes // MB
    return {
        "shared_buffers": f"{memory_mb // 4}MB",
        "effective_cache_size": f"{memory_mb * 3 // 4}MB",
        "work_mem": "16MB",
        "maintenance_work_mem": f"{min(2048, memory_mb // 16)}MB",
        "wal_buffers": "16MB",
        "max_wal_size": "4GB",
        "checkpoint_timeout": "15min",
        "checkpoint_completion_target": "0.9",
        "random_page_cost": "1.1",
        "effective_io_concurrency": "200",
        "max_connections": "100",
        "fsync": "on",
        "synchronous_commit": "on",
    }


def machine_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if found:
        return Path(found[-1]).parent
    postgres = shutil.which("postgres")
    if postgres:
        return Path(postgres).parent
    raise RuntimeError(
        "no PostgreSQL server binaries found (apt-get install postgresql)"
    )


def server_command(settings: dict[str, str], *, port: int, data: Path) -> list[str]:
    """pg_ctl start with every setting on the command line (-c), so the data
    directory's own configuration stays initdb's."""
    options = [f"-p {port}", "-k /tmp", "-c listen_addresses=127.0.0.1"]
    options += [f"-c {name}={value}" for name, value in settings.items()]
    return [
        str(bin_dir() / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(data / "server.log"),
        "-w",
        "-o",
        " ".join(options),
        "start",
    ]


def _as_postgres(args: list[str]) -> list[str]:
    return args if os.geteuid() != 0 else ["runuser", "-u", OS_USER, "--", *args]


class Cluster:
    """`with Cluster() as url:` a superuser URL (trust, loopback) to a
    running cluster with production settings; stopped when the block ends."""

    def __init__(self, data: Path = DATA_DIR, settings: dict | None = None) -> None:
        self.data = data
        self.settings = settings or production_settings(machine_memory())
        self.port = server.free_port()

    def __enter__(self) -> str:
        if not (self.data / "PG_VERSION").exists():
            self.data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.data, OS_USER, OS_USER)
            subprocess.run(
                _as_postgres(
                    [str(bin_dir() / "initdb"), "-D", str(self.data), "-U", "postgres"]
                    + ["--auth=trust", "--no-instructions", "-E", "UTF8"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        command = server_command(self.settings, port=self.port, data=self.data)
        subprocess.run(_as_postgres(command), check=True, stdout=subprocess.DEVNULL)
        for _ in range(60):
            ready = subprocess.run(
                [str(bin_dir() / "pg_isready"), "-q", "-h", "127.0.0.1"]
                + ["-p", str(self.port)]
            )
            if ready.returncode == 0:
                break
            time.sleep(0.5)
        return f"postgres://postgres@127.0.0.1:{self.port}/genai_prep_bench"

    def __exit__(self, *exc) -> None:
        subprocess.run(
            _as_postgres(
                [str(bin_dir() / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )
