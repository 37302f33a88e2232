"""HTML to PDF in a process of its own, bounded in time and memory.

WeasyPrint's cost grows with what is printed; a render that runs away must neither hold a
worker for ever nor take the machine's memory. So the worker hands the HTML to a child
process (started from a clean fork server, with WeasyPrint already imported) that may use at
most `memory` bytes of address space and is killed after `seconds`.

This module imports no Django: the fork server loads it alone."""

from __future__ import annotations

import functools
import multiprocessing
import os
import resource
import traceback
from multiprocessing.connection import Connection

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration


#: How much lower than the worker's the render's priority is (Unix nice, 0 to 19).
NICENESS = 10


class RenderError(Exception):
    """The render did not produce a PDF; the message says why, for people."""


class RenderTimeout(RenderError):
    pass


class RenderTooBig(RenderError):
    pass


def html_to_pdf(html: str, *, stylesheets: list[str], base_url: str, fonts: FontConfiguration | None = None) -> bytes:
    """Render in this process (stylesheets are file paths)."""
    fonts = fonts or FontConfiguration()
    styles = [CSS(filename=path, font_config=fonts) for path in stylesheets]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=styles, font_config=fonts)


def _child(connection: Connection, html: str, stylesheets: list[str], base_url: str, memory: int) -> None:
    # The fonts first, then the bound: Fontconfig reads its caches when it starts, and one
    # that cannot map them scans the font folders instead and may write back empty caches,
    # which would leave every later render without fonts.
    fonts = FontConfiguration()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Background work yields the processor to the web requests people are waiting for.
    os.nice(NICENESS)
    try:
        pdf = html_to_pdf(html, stylesheets=stylesheets, base_url=base_url, fonts=fonts)
    except MemoryError:
        connection.send(("memory", ""))
    except BaseException:  # noqa: BLE001 - the parent reports it
        connection.send(("error", traceback.format_exc()))
    else:
        connection.send(("pdf", pdf))
    finally:
        connection.close()


@functools.cache
def _warm_up() -> None:
    """Once per process, before the first bounded render: a small render with no bound, so
    that Fontconfig's caches on disk are complete (rebuilt here if they were stale) before
    any bounded child reads them."""
    html_to_pdf("<p>Lienzo</p>", stylesheets=[], base_url=".")


_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([__name__])


def html_to_pdf_bounded(html: str, *, stylesheets: list[str], base_url: str, seconds: float, memory: int) -> bytes:
    """Render in a child process that may take at most `seconds` and `memory` bytes:
    RenderTimeout or RenderTooBig past them, RenderError if WeasyPrint failed."""
    _warm_up()
    receiver, sender = _context.Pipe(duplex=False)
    child = _context.Process(target=_child, args=(sender, html, stylesheets, base_url, memory), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RenderTimeout(f"no PDF after {seconds:g} s")
        try:
            kind, value = receiver.recv()
        except EOFError:
            # Died without a word: killed by the kernel, most likely for its memory.
            raise RenderTooBig("the render process died") from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if kind == "memory":
        raise RenderTooBig(f"over {memory // 2**20} MiB")
    if kind == "error":
        raise RenderError(value)
    return value
