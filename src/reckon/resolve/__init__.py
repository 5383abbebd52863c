"""Resolution: records from many lists into canonical entities, with a judgement log.

`rules.py` declares strong evidence, `pairing.py` finds and scores candidate pairs,
`cluster.py` merges them into entities with stable ids, `judgements.py` keeps people's
decisions, `run.py` ties these together incrementally, `profile.py` reads an entity back.
"""

from reckon.resolve.judgements import (
    JudgementError,
    current_verdicts,
    export_jsonl,
    history,
    import_jsonl,
    judge,
    undo,
)
from reckon.resolve.run import ResolveResult, resolve

__all__ = [
    "JudgementError",
    "ResolveResult",
    "current_verdicts",
    "export_jsonl",
    "history",
    "import_jsonl",
    "judge",
    "resolve",
    "undo",
]
