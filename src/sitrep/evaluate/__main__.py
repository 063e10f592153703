import sys

from sitrep.evaluate.cli import main

sys.exit(main())
