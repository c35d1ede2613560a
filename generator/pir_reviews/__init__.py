"""pir: post-incident reviews kept as YAML, validated, analysed and published.

The distribution is `pir-reviews` (the name `pir` on PyPI belongs to another
project); the command stays `pir`. `__version__` is what `pir --version`
prints and what `pir init` pins in the workflows and hooks it writes.
"""

DISTRIBUTION = "pir-reviews"


def __getattr__(name: str) -> str:
    # Looked up when first asked for: reading the installed metadata costs
    # about a tenth of a second, which every command would pay at start-up.
    if name == "__version__":
        from importlib import metadata

        globals()["__version__"] = version = metadata.version(DISTRIBUTION)
        return version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
