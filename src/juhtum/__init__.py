"""juhtum: case management by the Estonian guideline, over plain YAML files in git."""

__version__ = "0.1.0.dev0"
