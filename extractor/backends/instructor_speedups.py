"""Two memos for instructor 1.17.0's per-request work whose result never changes for us.

1. Compiled prompt templates. With a validation ``context``, instructor renders every message
   with a new Jinja ``SandboxedEnvironment().from_string(text)``: about 1 ms of CPU per article
   to compile the same two prompt texts again. The compiled template is cached by its source
   text; rendering (and so the output, byte for byte) is unchanged.
2. The async-validator scan, below.
3. The response-model wrapper. ``prepare_response_model`` builds a new pydantic subclass of the
   response model on every call (about 4 per request, ~2 ms of CPU per article); the wrapper
   is stateless, so for a class whose scan came back clean the same wrapper is handed out.

instructor 1.17.0 walks the whole response-model class tree looking for async validators up to
seven times per request, and wraps the model in a fresh subclass each time, so its own answer is
never reused: about 4 ms of CPU per article on our ``CheckedRecords``, a third of the client's
work in a batch. The scan's answer depends only on the classes involved, and the subclasses
instructor adds carry no validators of their own, so we remember "no async validators" per
*our* class and skip the walk when it is asked again. A model that has async validators is
never remembered: it keeps failing closed exactly as before. Installed once, idempotently,
when the LLM backend is built; instructor is pinned, and a test checks the behaviour.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from textwrap import dedent
from typing import Any

_LOCK = threading.Lock()
_CLEAN: set[type] = set()
_INSTALLED = False


def _own_class(model: Any) -> type | None:
    """The first class of the MRO that is not instructor's wrapper, or None for a non-class.

    instructor wraps a response model in a subclass that also derives from its own
    ``ResponseSchema``; our class is the first one in the MRO without that base.
    """
    if not isinstance(model, type):
        return None
    from instructor.v2.core.function_calls import ResponseSchema

    for cls in model.__mro__:
        if ResponseSchema not in cls.__mro__:
            return cls if cls.__module__ != "builtins" else None
    return None


def install() -> None:
    """Wrap instructor's ``reject_async_validators`` with the per-class memo (once)."""
    global _INSTALLED
    with _LOCK:
        if _INSTALLED:
            return
        from instructor.v2.core import patch as patch_module
        from instructor.v2.validation import async_validators

        original = async_validators.reject_async_validators

        def reject_async_validators(response_model: Any) -> None:
            own = _own_class(response_model)
            if own is not None and own in _CLEAN and _added_nothing(response_model, own):
                return
            original(response_model)  # raises for a model with async validators
            if own is not None and _added_nothing(response_model, own):
                _CLEAN.add(own)

        async_validators.reject_async_validators = reject_async_validators
        patch_module.reject_async_validators = reject_async_validators

        from instructor.v2.core import response_model as response_model_module

        prepare = response_model_module.prepare_response_model

        @lru_cache(maxsize=32)
        def _prepared(model: type) -> Any:
            return prepare(model)

        def prepare_response_model(model: Any) -> Any:
            own = _own_class(model)
            if own is not None and own in _CLEAN and _added_nothing(model, own):
                return _prepared(model)
            return prepare(model)

        # Same contract as instructor's generic signature; mypy cannot see through the Any.
        for module in (response_model_module, patch_module):
            setattr(module, "prepare_response_model", prepare_response_model)  # noqa: B010

        from instructor.v2.core import templating

        # instructor's module is "type: ignore[all]", so mypy sees none of its names.
        setattr(templating, "apply_template", _apply_template)  # noqa: B010
        _INSTALLED = True


@lru_cache(maxsize=64)
def _compiled(text: str) -> Any:
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment().from_string(text)


def _apply_template(text: str, context: dict[str, Any]) -> str:
    """Render like instructor's ``apply_template``, reusing the compiled template."""
    return dedent(_compiled(text).render(**context))


def _added_nothing(model: type, own: type) -> bool:
    """True when every class between ``model`` and ``own`` is instructor's, with our fields."""
    fields = getattr(own, "model_fields", None)
    return fields is not None and set(getattr(model, "model_fields", {})) == set(fields)
