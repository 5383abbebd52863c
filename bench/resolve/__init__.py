"""Evaluation of cross-list resolution: a gold standard from hard evidence in the real lists
(gold.py), pairwise precision and recall of any clustering against it (evaluate.py), and
splink as a side-by-side peer (peer_splink.py, run in the peer venv)."""
