"""Within one `ventanilla report refresh` view, a selector called again with the same arguments reads the
database once: the refresh renders each view's Table in every language (the texts differ, the figures do not),
so the second language costs no query. Outside `remembering()` the decorated selectors run as written."""

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

_results: ContextVar[dict | None] = ContextVar("reports_selector_results", default=None)


def per_view(selector: Callable) -> Callable:
    """Decorate a selector whose arguments are hashable (Filters, Bounds, strings) and whose result is data."""

    @wraps(selector)
    def remembered(*args, **kwargs):
        results = _results.get()
        if results is None:
            return selector(*args, **kwargs)
        key = (selector.__module__, selector.__qualname__, args, tuple(sorted(kwargs.items())))
        if key not in results:
            results[key] = selector(*args, **kwargs)
        return copy.deepcopy(results[key])  # the caller may reshape its rows

    return remembered


@contextmanager
def remembering() -> Iterator[None]:
    token = _results.set({})
    try:
        yield
    finally:
        _results.reset(token)
