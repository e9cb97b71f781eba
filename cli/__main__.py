"""`python -m ipwatch` is the `ipwatch` command."""

from . import main

main()
