"""Progress of a long-running command (import_plan, generate_load_data, send_digests) on a terminal: a
tqdm bar on the command's stderr, only when that is a terminal, so logs, pipes and cron mail stay as they
were."""

from tqdm import tqdm


def progress(iterable, *, command, **kwargs):
    stream = getattr(command.stderr, "_out", command.stderr)  # the file under Django's OutputWrapper
    is_terminal = getattr(stream, "isatty", lambda: False)()
    return tqdm(iterable, file=stream, disable=not is_terminal, dynamic_ncols=True, leave=False, **kwargs)


def no_progress(iterable, **kwargs):
    return iterable
