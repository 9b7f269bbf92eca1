"""Import MediaPipe without the legacy solutions it does not use.

`import mediapipe` runs the package's __init__, which imports every legacy solution
(face mesh, hands, holistic, ...) and, through their drawing helpers, matplotlib's
pyplot: 2-3 s of every cold run on two cores, for the one solution pose uses (the
report draws its plots in a process of its own). Here the solutions package is
registered first with each solution imported when first asked for (its __init__ does
nothing but import them all, so every caller still finds each one under
`mediapipe.solutions`), then MediaPipe's own __init__ runs as `import` would run it.
Only `pose` calls this; anything unexpected falls back to a plain `import mediapipe`.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import types

SOLUTIONS = "mediapipe.python.solutions"
# Subpackages MediaPipe's __init__ deletes from its namespace at its end: bound there as
# its solutions import them, so they are imported here first.
DELETED_BY_INIT = ("framework", "gpu", "modules", "util")
_lock = threading.Lock()


def mediapipe() -> types.ModuleType:
    """The `mediapipe` package, imported once per process."""
    with _lock:
        if "mediapipe" not in sys.modules:
            try:
                _import_without_solutions()
            except Exception:
                for name in ("mediapipe", SOLUTIONS):
                    sys.modules.pop(name, None)
        import mediapipe as mp

        return mp


class _OnDemand(types.ModuleType):
    """A package whose modules are imported when first asked for (PEP 562)."""

    def __getattr__(self, name: str):
        wanted = f"{self.__name__}.{name}"
        try:
            return importlib.import_module(wanted)
        except ModuleNotFoundError as error:
            if error.name != wanted:
                raise  # the module is there, but something it imports is not
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def _import_without_solutions() -> None:
    """What `import mediapipe` does (register the package, run its __init__), with the
    solutions package registered on demand first."""
    top = importlib.util.find_spec("mediapipe")  # finds the package, runs none of it
    package = importlib.util.module_from_spec(top)
    sys.modules["mediapipe"] = package
    folders = [os.path.join(folder, "python") for folder in top.submodule_search_locations]
    spec = importlib.machinery.PathFinder.find_spec(SOLUTIONS, folders)
    solutions = importlib.util.module_from_spec(spec)
    solutions.__class__ = _OnDemand
    sys.modules[SOLUTIONS] = solutions
    for name in DELETED_BY_INIT:
        importlib.import_module(f"mediapipe.{name}")
    top.loader.exec_module(package)
    sys.modules["mediapipe.python"].solutions = solutions  # as importing it would bind it
