"""The two seed systems as shipped in fixtures/indicators/ (JSON, text verbatim from the seeds), and the demo national
figures (fixtures/national_figures_demo.json)."""
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DATA_DIR = FIXTURES / "indicators"
SEED_FILES = {
    "2022": DATA_DIR / "system_2022.json",  # seed 004: 41 indicators, 5 groups, ≥ 85 and every group ≥ 75 %
    "draft-current": DATA_DIR / "system_current_draft.json",  # seed 001 appendix: 25 indicators, ≥ 85 and ≥ 80 %
}
DEMO_BENCHMARKS = FIXTURES / "national_figures_demo.json"


def load_spec(code):
    with open(SEED_FILES[code], encoding="utf-8") as handle:
        return json.load(handle)
