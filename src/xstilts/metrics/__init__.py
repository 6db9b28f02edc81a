"""Official XTREME and XTREME-R metrics (google-research/xtreme evaluate.py and
its third_party SQuAD v1.1 / MLQA / Mewsli-X / LAReQA scripts), all values in
percent.

Light on purpose: nothing here imports torch or transformers, and seqeval
(which pulls in scikit-learn) is imported only when IOB tags are scored.
"""

from .benchmark import languages, score_benchmark, score_task_dir
from .errors import ScoreInputError
from .io import read_gold, read_pred, write_gold, write_pred
from .scoring import score_files, score_task
from .tagging import DEFAULT_TAGGING_SCORER, TAGGING_SCORERS
from .tasks import (
    ALL_TASKS,
    BENCHMARKS,
    LABEL_SETS,
    MAIN_METRIC,
    QA_TASKS,
    TASK_GROUPS,
    TASKS,
    XTREME_LANGS,
    XTREME_R_LANGS,
    XTREME_R_TASK_GROUPS,
    XTREME_R_TASKS,
    file_suffix,
    task_score,
)

__all__ = [
    "ALL_TASKS",
    "BENCHMARKS",
    "DEFAULT_TAGGING_SCORER",
    "LABEL_SETS",
    "MAIN_METRIC",
    "QA_TASKS",
    "TAGGING_SCORERS",
    "TASK_GROUPS",
    "TASKS",
    "XTREME_LANGS",
    "XTREME_R_LANGS",
    "XTREME_R_TASK_GROUPS",
    "XTREME_R_TASKS",
    "ScoreInputError",
    "file_suffix",
    "languages",
    "read_gold",
    "read_pred",
    "score_benchmark",
    "score_files",
    "score_task",
    "score_task_dir",
    "task_score",
    "write_gold",
    "write_pred",
]
