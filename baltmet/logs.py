"""Logging filters: what is not a bug is logged in one line, without a traceback."""

import logging


class OneLine(logging.Filter):
    """Fold the exception of a record into its message and drop the traceback.

    `client_errors_only`: only for refused requests (Django's 4xx records carry `status_code`): a
    403 or a 404 is the person's business, not the portal's, and one line says all there is."""

    def __init__(self, client_errors_only: bool = False):
        super().__init__()
        self.client_errors_only = client_errors_only

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info:
            return True
        if self.client_errors_only and not 400 <= (getattr(record, "status_code", 0) or 0) < 500:
            return True
        error = record.exc_info[1]
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        record.msg, record.args = f"{record.getMessage()} ({detail})", ()
        record.exc_info = record.exc_text = None
        return True
