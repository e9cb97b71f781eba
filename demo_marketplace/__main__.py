"""`python -m demo_marketplace --watchlist PATH --port 0`: serve the shop, print its URL, run until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from .catalogue import build_catalogue
from .server import make_server, url_of

DEFAULT_WATCHLIST = Path(__file__).resolve().parent.parent / "watchlist" / "samples" / "baotou.yaml"


class _Stop(Exception):
    """SIGTERM arrived: leave serve_forever and close the socket."""


def _on_term(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the first and only line on stdout is the base URL."""
    parser = argparse.ArgumentParser(prog="python -m demo_marketplace", description=__doc__)
    parser.add_argument("--watchlist", type=Path, default=DEFAULT_WATCHLIST,
                        help="watchlist YAML the shop is built from")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    args = parser.parse_args(argv)
    server = make_server(build_catalogue(args.watchlist), args.host, args.port)
    signal.signal(signal.SIGTERM, _on_term)
    print(url_of(server), flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
