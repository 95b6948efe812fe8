"""The Ray engine: the offline backend in Ray actors, everything else the local engine's own.

Each actor loads the offline models once and then extracts article after article; results
stream back to the driver as they finish, where the local engine writes the output file, the
store rows and the failures record, resumes and draws the progress bar, unchanged. Outputs are
the same as the local engine's (the actor runs the same ``pipeline.run``).

The cluster is ``RAY_ADDRESS`` when set, else a local Ray started for the run and stopped after
it. The actors get the run's ``Settings`` (the offline backend reads nothing from their
environment). A run with nothing left to do never starts Ray. Ray is an optional extra:
``pip install 'ca-extractor[ray]'``.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from extractor.backends.base import Backend
from extractor.config import Settings
from extractor.engines.local import Batch
from extractor.errors import ConfigError
from extractor.pipeline import run as run_pipeline
from extractor.reading import Article
from schemas.records import ArticleExtraction

INSTALL_HINT = (
    "pip install 'ca-extractor[ray]' (in a checkout: pip install -c requirements.lock '.[ray]')"
)


def import_ray() -> Any:
    """The ``ray`` module.

    Raises:
        ConfigError: Ray is not installed; the message says how to install it.
    """
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--engine ray needs Ray, which is not installed", hint=INSTALL_HINT
        ) from None
    return ray


class OfflineWorker:
    """A Ray actor's state: the offline backend with its models loaded once."""

    def __init__(self, settings: Settings) -> None:
        """Load the models now, so the first article does not pay for them."""
        from extractor.backends.offline import OfflineBackend

        self.backend = OfflineBackend(settings)
        self.backend.warm_up()
        self.max_chars = settings.max_chunk_chars

    def extract(self, article: Article) -> ArticleExtraction:
        """Extract and verify one article, exactly as the local engine does."""
        return run_pipeline(article, self.backend, self.max_chars)


class RayRun(Batch):
    """A run whose offline extractions happen in Ray actors; ``await run.run()``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Prepare the run (see ``Batch``); Ray starts with the first article that needs it.

        Raises:
            ConfigError: Ray is not installed, or the run is not an offline one.
        """
        super().__init__(*args, **kwargs)
        self.ray = import_ray()
        if self.settings.resolved_backend() != "offline":
            raise ConfigError(
                "--engine ray runs the offline backend",
                hint="add --backend offline; for the LLM path use --batch-api or the local engine",
            )
        self._idle: asyncio.Queue[Any] | None = None
        self._started_ray = False
        self._actors: list[Any] = []
        self.summary.engine = "ray"

    def workers(self) -> int:
        """Articles in flight: two per actor, so none waits while the driver writes."""
        return 2 * self.settings.concurrency

    def _start(self) -> asyncio.Queue[Any]:
        """Connect to RAY_ADDRESS or start a local Ray; start one actor per worker."""
        ray = self.ray
        if not ray.is_initialized():
            address = self.settings.ray_address
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            if address is None:  # one CPU per actor, no more actors than this machine has cores
                options["num_cpus"] = min(self.settings.concurrency, os.cpu_count() or 1)
            ray.init(address=address, **options)
            self._started_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        count = max(1, min(self.settings.concurrency, cpus))
        actor = ray.remote(num_cpus=1)(OfflineWorker)
        self._actors = [actor.remote(self.settings) for _ in range(count)]
        idle: asyncio.Queue[Any] = asyncio.Queue()
        for a in self._actors:
            idle.put_nowait(a)
        return idle

    async def _extract(
        self, article: Article, backend: Backend, sem: asyncio.Semaphore
    ) -> ArticleExtraction:
        if self._idle is None:
            self._idle = self._start()
        actor = await self._idle.get()
        try:
            result: ArticleExtraction = await actor.extract.remote(article)
        except self.ray.exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            raise (cause if isinstance(cause, Exception) else exc) from None
        finally:
            self._idle.put_nowait(actor)
        return result

    def _get_backend(self) -> Backend:
        """The driver never extracts: the actors hold the backend."""
        from extractor.backends.offline import OfflineBackend

        return OfflineBackend()

    async def close(self) -> None:
        """Stop the actors, and the local Ray if this run started it."""
        for actor in self._actors:
            self.ray.kill(actor)
        self._actors = []
        if self._started_ray:
            self.ray.shutdown()
            self._started_ray = False
