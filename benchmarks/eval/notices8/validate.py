"""Validate the notices8 fixture: docs/ (four fictional notices) and questions.yaml, with the
checks of ../notice_fixture.py.

Run:  python benchmarks/eval/notices8/validate.py   (needs python-docx, pypdf and PyYAML)
Exit code 0 when every check passes, 1 otherwise (each failure is printed).
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from notice_fixture import validate  # noqa: E402

TOPICS = {  # topic slug used in ids -> notice file stem
    "gpu": "innocore-gpu-cluster",
    "housing": "innocore-guest-housing",
    "health": "innocore-health-checkup",
    "release": "innocore-release-review",
}

# Key detail words of each out-of-scope question: none may occur in a notice or in knowledge/.
# ASCII terms match as whole words (case-insensitive); others as substrings.
OOS_TERMS = {
    "n8-oos-ko-1": ["H100", "A100", "기종", "graphics card model"],      # GPU model of the cluster
    "n8-oos-ko-2": ["고양이", "반려", "pet", "pets", "cat", "cats"],    # pets in guest housing
    "n8-oos-ko-3": ["세탁", "빨래", "laundry", "washing machine"],       # laundry in guest housing
    "n8-oos-ko-4": ["치과", "스케일링", "dental", "scaling"],            # dental care in check-up
    "n8-oos-ko-5": ["자녀", "초등", "children", "child", "kids"],        # children's check-up
    "n8-oos-ko-6": ["공가", "연차", "휴가", "paid leave", "day off"],    # leave on check-up day
    "n8-oos-ko-7": ["특허", "patent", "patents"],                       # patents before release
    "n8-oos-ko-8": ["KTX", "기차", "railway"],                          # unrelated: trains
    "n8-oos-en-1": ["TPU", "TPUs"],                                     # TPUs on the cluster
    "n8-oos-en-2": ["parking", "주차", "car"],                          # parking at residence
    "n8-oos-en-3": ["gym", "fitness", "헬스장", "체력단련"],              # gym in residence
    "n8-oos-en-4": ["flu", "influenza", "vaccine", "vaccination", "독감", "예방접종"],
    "n8-oos-en-5": ["Hugging Face", "HuggingFace", "허깅페이스"],        # where to host weights
    "n8-oos-en-6": ["fee", "fees", "수수료", "심사비"],                   # release review fee
    "n8-oos-en-7": ["driver", "driving licence", "운전면허"],           # unrelated
    "n8-oos-en-8": ["BBQ", "barbecue", "고기"],                          # unrelated
}


if __name__ == "__main__":
    sys.exit(validate(HERE, "n8", TOPICS, OOS_TERMS))
