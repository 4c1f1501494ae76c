"""Tests with real editor tooling: the YAML language server over the Language Server Protocol."""
