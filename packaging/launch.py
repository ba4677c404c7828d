"""Entry script of the frozen app (packaging/apk-desktop.spec): the ``apk-desktop`` command."""

import sys

from apk_desktop.__main__ import main

sys.exit(main())
