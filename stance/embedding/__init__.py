"""Text embeddings for the ``encoder`` extractor: pluggable backends
(``stance.embedding.backends``), an on-disk cache shared by processes
(``stance.embedding.cache``), the read-only bundle of the default training
data's embeddings (``stance.embedding.bundle``), and the ``Embedder`` that puts
them together (``stance.embedding.embedder``)."""
