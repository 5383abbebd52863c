"""Labelled evaluation pairs built from the real list records (see bench/pairs/README.md).

`python -m bench.eval.build` regenerates bench/pairs/*.jsonl deterministically.
"""
