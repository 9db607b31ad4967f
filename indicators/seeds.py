"""The two seed systems as shipped in indicators/data/ (JSON, text verbatim from the seeds)."""
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_FILES = {
    "2022": DATA_DIR / "system_2022.json",  # seed 004: 41 indicators, 5 groups, ≥ 85 and every group ≥ 75 %
    "draft-current": DATA_DIR / "system_current_draft.json",  # seed 001 appendix: 25 indicators, ≥ 85 and ≥ 80 %
}
DEMO_BENCHMARKS = DATA_DIR / "benchmarks_demo.json"


def load_spec(code):
    with open(SEED_FILES[code], encoding="utf-8") as handle:
        return json.load(handle)
