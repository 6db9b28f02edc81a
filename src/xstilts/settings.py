"""Typed settings: the hyper-parameters that decide a training job's result, and the runtime settings that don't.

``TrainingSettings`` holds every result-deciding hyper-parameter with its default (the only place defaults
live: the config schema checks types and ranges, ``tests/test_settings.py`` asserts both list the same keys),
its help text, and the phases in which it means something. A key set in a phase where it does nothing is a
config error naming it, so a setting that is silently ignored can never trigger a rerun.

``RuntimeSettings`` (device, evaluation batch size, logging and checkpoint intervals, warm start) cannot
change a result: it never enters a rule's ``params:``, a checkpoint fingerprint or the hyper-parameters.

Resolution (``resolve``): the toy model's own tuning (``model.toy.hparams``, only while ``model.source`` is
``toy``) < ``hparams.default`` < ``hparams.phase.PHASE`` < ``hparams.format.FORMAT`` < ``hparams.task.TASK``
< ``hparams.cell."ROW/TARGET"``. Keeping toy tuning with the toy model is structural: a preset that loads a
pretrained encoder cannot inherit a learning rate tuned for a 64-wide toy encoder, whatever it overrides.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

PHASES = ("pretrain", "intermediate", "target")
FINE_TUNING = ("intermediate", "target")
SELECTIONS = ("best_dev", "last")


def _setting(default, help: str, phases=PHASES):
    return field(default=default, metadata={"help": help, "phases": tuple(phases)})


@dataclass(frozen=True)
class TrainingSettings:
    """Hyper-parameters that decide a training job's result (defaults: the paper's recipe, jiant's values)."""

    learning_rate: float = _setting(1e-5, "peak learning rate of AdamW (linear warm-up, then linear decay)")
    batch_size: int = _setting(4, "examples per forward/backward pass")
    grad_accum: int = _setting(8, "passes accumulated per optimizer step (effective batch = batch_size x grad_accum)")
    epochs: float = _setting(3.0, "passes over the training data (multitask: over every task's data)")
    warmup_ratio: float = _setting(0.1, "fraction of the optimizer steps spent warming the learning rate up")
    weight_decay: float = _setting(0.01, "AdamW weight decay (not on biases and LayerNorm weights)")
    max_grad_norm: float = _setting(1.0, "gradient clipping norm")
    max_length: int = _setting(256, "maximum sequence length in tokens (QA: window length)")
    eval_every: int = _setting(0, "optimizer steps between English dev evaluations; 0 = once per epoch", FINE_TUNING)
    selection: str = _setting(
        "best_dev", "which weights are kept: best_dev (best English dev score) or last", FINE_TUNING
    )
    mlm_probability: float = _setting(0.15, "fraction of tokens masked for masked-LM pretraining", ("pretrain",))

    def __post_init__(self):
        if self.selection not in SELECTIONS:
            raise ValueError(f"selection: {self.selection!r} is not one of {', '.join(SELECTIONS)}")

    @classmethod
    def keys(cls, phase: str | None = None) -> list[str]:
        return [f.name for f in fields(cls) if phase is None or phase in f.metadata["phases"]]

    def for_phase(self, phase: str) -> dict:
        """The settings that mean something in ``phase``, as a plain dict (what a rule's ``params:`` holds)."""
        values = asdict(self)
        return {k: values[k] for k in self.keys(phase)}


@dataclass(frozen=True)
class RuntimeSettings:
    """Settings that cannot change a result; changing them never reruns a job or invalidates a checkpoint."""

    device: str = "auto"
    eval_batch_size: int = 64
    log_every: int = 50
    checkpoint_every: int = 200
    warm_start: bool = True
    data_workers: int = 2

    @classmethod
    def from_config(cls, config: dict) -> RuntimeSettings:
        return cls(**config.get("runtime", {}))


class SettingsError(ValueError):
    pass


def _layers(
    hparams: dict, phase: str, fmt: str | None, task: str, cell: str | None, where: str, member: str | None = None
):
    """(config key, layer) pairs of one hparams block, least specific first."""
    yield f"{where}.default", hparams.get("default") or {}
    yield f"{where}.phase.{phase}", (hparams.get("phase") or {}).get(phase) or {}
    if fmt:
        yield f"{where}.format.{fmt}", (hparams.get("format") or {}).get(fmt) or {}
    if member:
        yield f"{where}.task.{member}", (hparams.get("task") or {}).get(member) or {}
    yield f"{where}.task.{task}", (hparams.get("task") or {}).get(task) or {}
    if cell:
        yield f"{where}.cell.{cell}", (hparams.get("cell") or {}).get(cell) or {}


def resolve(
    config: dict, phase: str, task: str, fmt: str | None, cell: str | None = None, member: str | None = None
) -> TrainingSettings:
    """The settings of one fine-tuning job (see the module docstring for the order of the layers).

    ``task`` is a task name or a row of several tasks such as ``multitask`` (then ``fmt`` is None): such a
    run tokenizes each member task at that task's own ``max_length``, so ``max_length`` set for the row
    itself is an error. A one-task recipe resolves as its ``member`` task, then its own ``task`` layer.
    """
    if phase not in FINE_TUNING:
        raise ValueError(
            f"phase {phase!r}: hparams resolve for {', '.join(FINE_TUNING)}; pretraining has model.toy.pretrain"
        )
    blocks = []
    if config["model"]["source"] == "toy":
        blocks.append(("model.toy.hparams", config["model"].get("toy", {}).get("hparams") or {}))
    blocks.append(("hparams", config.get("hparams") or {}))
    allowed = set(TrainingSettings.keys(phase))
    row_level = fmt is None or member is not None  # a recipe's own layer, not a task's
    merged = {}
    for where, hparams in blocks:
        for key, layer in _layers(hparams, phase, fmt, task, cell, where, member):
            for name, value in layer.items():
                if name not in allowed:
                    raise SettingsError(
                        f"{key}.{name}: has no effect in fine-tuning; settings there: {', '.join(sorted(allowed))}"
                    )
                if name == "max_length" and row_level and key.endswith((f".task.{task}", f".cell.{cell}")):
                    raise SettingsError(
                        f"{key}.max_length: has no effect on a row of recipe or multitask, whose "
                        "tasks are tokenized at their own max_length (set it per task)"
                    )
                merged[name] = value
    return TrainingSettings(**merged)


def pretrain_settings(config: dict) -> TrainingSettings:
    """The toy model's masked-LM pretraining settings (``model.toy.pretrain``)."""
    layer = config["model"].get("toy", {}).get("pretrain") or {}
    allowed = set(TrainingSettings.keys("pretrain"))
    for name in layer:
        if name not in allowed:
            raise SettingsError(
                f"model.toy.pretrain.{name}: has no effect in pretraining; "
                f"settings of that phase: {', '.join(sorted(allowed))}"
            )
    return TrainingSettings(**layer)
