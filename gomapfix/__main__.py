from __future__ import annotations

from gomapfix.cli import main

raise SystemExit(main())
