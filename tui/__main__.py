"""``python -m tui [PATH...]``: the same as ``yusuan``; textual-serve starts the app this way."""

from __future__ import annotations

import sys

from tui.cli import main

sys.exit(main())
