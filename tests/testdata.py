"""Where the test suite keeps its labelled data (the package does not know)."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_GOLD = DATA_DIR / "topics_dev.jsonl"
SEED_DOCUMENTS = DATA_DIR / "documents_dev.csv"
MORE_DIR = DATA_DIR / "more"
EXTRA_DIR = DATA_DIR / "extra"
