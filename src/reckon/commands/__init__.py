"""Groups of `reckon` commands kept out of cli.py, each module registering its commands on
`reckon.cli.app` when imported (cli.py imports them at its end). Same rules as cli.py:
thin handlers over one library function each, heavy libraries imported inside handlers."""
