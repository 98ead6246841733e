"""JSON answers that say their charset: Chinese travels as UTF-8 text, never as \\u escapes
(Starlette already writes ensure_ascii=False), and `application/json; charset=utf-8` lets
tools that do not default to UTF-8 for JSON (some spreadsheet importers, older clients) read
it without guessing."""

from __future__ import annotations

from fastapi.responses import JSONResponse


class Utf8JSONResponse(JSONResponse):
    media_type = "application/json; charset=utf-8"
