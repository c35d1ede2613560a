"""pir: post-incident reviews kept as YAML, validated, analysed and published.

The distribution is `pir-reviews` (the name `pir` on PyPI belongs to another
project); the command stays `pir`. `__version__` is what `pir --version`
prints and what `pir init` pins in the workflows and hooks it writes.
"""

from importlib import metadata

DISTRIBUTION = "pir-reviews"
__version__ = metadata.version(DISTRIBUTION)
