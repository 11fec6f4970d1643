"""Errors a user can cause and fix. Each carries one clear sentence; the CLI
turns them into ``click.ClickException`` and the service into JSON 4xx."""


class StanceError(Exception):
    """Base class for every error ``stance`` reports to a user."""


class InputError(StanceError):
    """An article or request that cannot be read: empty, binary, not UTF-8, too large."""


class DataError(StanceError):
    """A labeled-data file that breaks the codebook's record format."""


class PluginError(StanceError):
    """A plugin that fails to import, registers something broken, or is missing."""


class ModelError(StanceError):
    """A model that is missing, corrupt, or built for other library or plugin versions."""
