"""``python -m evaluation``: precision, recall and F1 against fixtures/gold."""

import sys

from evaluation.scores import main

sys.exit(main())
