"""Benchmarks that ship with the package: honest timing, per-op and per-model tables.

The scripts in the repository's benchmarks/ folder build on these and add the
PyTorch comparison; `minivae bench` runs the quick set.
"""
