"""stance: paragraph-level stance and rhetoric classification for statements on
the CSTO and Western involvement in the region."""

__version__ = "0.1.0"
