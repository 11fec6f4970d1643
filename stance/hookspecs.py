"""The pluggy hook specifications through which plugins extend ``stance``.

A plugin is a module (built in, installed through the ``stance`` entry point
group, or a ``.py`` file in a plugins folder) whose functions are marked with
``hookimpl`` and named after a hook below.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("stance")
hookimpl = pluggy.HookimplMarker("stance")


# ---- features -------------------------------------------------------------


@hookspec
def register_extractors(register):
    """Register feature extractors by calling ``register(name, factory, *, version, description="")``."""
