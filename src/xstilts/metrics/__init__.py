"""Official XTREME metrics (google-research/xtreme evaluate.py and its
third_party SQuAD v1.1 / MLQA scripts), all values in percent.

Light on purpose: nothing here imports torch or transformers, and seqeval
(which pulls in scikit-learn) is imported only when a tagging task is scored.
"""

from .benchmark import languages, score_benchmark, score_task_dir
from .errors import ScoreInputError
from .io import read_gold, read_pred, write_gold, write_pred
from .scoring import score_files, score_task
from .tasks import MAIN_METRIC, QA_TASKS, TASK_GROUPS, TASKS, XTREME_LANGS, file_suffix, task_score

__all__ = [
    "MAIN_METRIC", "QA_TASKS", "TASK_GROUPS", "TASKS", "XTREME_LANGS", "ScoreInputError",
    "file_suffix", "languages", "read_gold", "read_pred", "score_benchmark", "score_files",
    "score_task", "score_task_dir", "task_score", "write_gold", "write_pred",
]
