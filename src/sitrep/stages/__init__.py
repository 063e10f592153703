"""The pipeline stages, one module each. See :mod:`sitrep.pipeline` for their order."""
