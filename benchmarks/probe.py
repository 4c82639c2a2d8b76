"""Start the real app (headless, quitting once its tree is shown) and print its peak memory."""

from __future__ import annotations

import json
import os
import resource
import sys

if __name__ == "__main__":
    os.environ["YUSUAN_EXIT_WHEN_READY"] = "1"
    from tui.app import run

    run(sys.argv[1:] or None, mouse=False)
    print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
