"""Run a Python program with every socket bind, connect and name lookup logged to a file.

`python tests/netwatch.py LOG MODULE [ARGS...]` runs `python -m MODULE ARGS...` under an
audit hook (PEP 578) that appends one line per `socket.bind`, `socket.connect` and
`socket.getaddrinfo` to LOG, so a test can check that a server only listens on and talks
to this computer.
"""

from __future__ import annotations

import runpy
import sys


def main() -> None:
    log = open(sys.argv[1], "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)

    def hook(event: str, args: tuple) -> None:
        if event in ("socket.bind", "socket.connect"):
            log.write(f"{event}\t{int(args[0].family)}\t{args[1]!r}\n")
        elif event == "socket.getaddrinfo":
            log.write(f"{event}\t-\t{args[0]!r}\n")

    sys.addaudithook(hook)
    module = sys.argv[2]
    sys.argv = [module, *sys.argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
