"""The registry of local readers: ``@reads(task, ...)`` on a reader records it with its directory and layout."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Reader:
    """A task's local reader: ``read(task_dir, spec, split, lang[, variant])`` and where its files sit.

    ``directory``: the task's folder under a ROOT that holds several tasks. ``variants``: ``read`` takes the
    source's ``variant`` (squad v2, anli+). ``layout``: glob patterns, any one of which matching in the task's
    directory means its data is there; ``locate``, instead, a function that finds the data in that directory
    (or says why not) and returns where it is. Calling a Reader calls ``read``."""

    task: str
    read: Callable
    directory: str
    variants: bool = False
    layout: tuple[str, ...] = ()
    locate: Callable[[Path], Path] | None = None

    def __call__(self, *args, **kwargs):
        return self.read(*args, **kwargs)


READERS: dict[str, Reader] = {}  # task name -> Reader; filled by importing the family modules


def reads(
    task: str,
    *,
    directory: str | None = None,
    variants: bool = False,
    layout: Sequence[str] = (),
    locate: Callable[[Path], Path] | None = None,
) -> Callable[[Callable], Callable]:
    """Register the decorated function as the local reader of `task` (its folder: `directory`, default `task`)."""
    if not layout and locate is None:
        raise ValueError(f"local reader of {task!r}: give its layout (glob patterns) or a locate function")

    def register(read: Callable) -> Callable:
        if task in READERS:
            raise ValueError(
                f"two local readers for task {task!r}: {READERS[task].read.__qualname__} and {read.__qualname__}"
            )
        READERS[task] = Reader(task, read, directory or task, variants, tuple(layout), locate)
        return read

    return register
