"""`python -m ipwatch` is the `ipwatch` command."""

from ipwatch.cli import main

main()
