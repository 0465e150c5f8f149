"""Fetchlens entry point: the window by default, ``--headless`` for the command line.

Kept tiny on purpose: the extraction pool's worker processes (spawn) re-import this
file as ``__mp_main__``, so nothing heavy may run at import time.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--install-launcher" in argv or "--uninstall-launcher" in argv:
        from core.cli.entry import main_launcher

        return main_launcher(argv)
    if "--headless" in argv or {"-h", "--help", "--version"} & set(argv):
        from core.cli.entry import main as cli_main

        return cli_main(argv)
    from gui.app.runtime import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # frozen (PyInstaller) app: a spawned parsing worker stops here
    sys.exit(main())
