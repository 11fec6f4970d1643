"""The built-in extractors, each a plugin registered exactly like a third-party one."""
