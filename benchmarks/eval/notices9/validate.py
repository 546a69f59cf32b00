"""Validate the notices9 fixture: docs/ (four fictional notices) and questions.yaml, with the
checks of ../notice_fixture.py.

Run:  python benchmarks/eval/notices9/validate.py   (needs python-docx, pypdf and PyYAML)
Exit code 0 when every check passes, 1 otherwise (each failure is printed).
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from notice_fixture import validate  # noqa: E402

TOPICS = {  # topic slug used in ids -> notice file stem
    "travel": "innocore-travel-grant",
    "safety": "innocore-lab-safety",
    "patent": "innocore-patent-support",
    "korean": "innocore-korean-course",
}

# Key detail words of each out-of-scope question: none may occur in a notice or in knowledge/.
# ASCII terms match as whole words (case-insensitive); others as substrings.
OOS_TERMS = {
    "n9-oos-ko-1": ["일비", "식비", "per diem", "meal", "meals"],            # daily allowance on trips
    "n9-oos-ko-2": ["마일리지", "mileage", "frequent flyer"],                # airline miles
    "n9-oos-ko-3": ["방사선", "엑스선", "radiation", "radioactive", "X-ray"],  # radiation safety
    "n9-oos-ko-4": ["임신", "임산부", "pregnant", "pregnancy"],               # pregnancy in the lab
    "n9-oos-ko-5": ["상표", "trademark", "trademarks"],                      # trademark filing
    "n9-oos-ko-6": ["배우자", "와이프", "가족", "spouse", "spouses", "wife",
                    "husband", "family"],                                    # spouse in the course
    "n9-oos-ko-7": ["과외", "튜터", "개인 지도", "tutor", "tutoring"],         # private tutoring
    "n9-oos-ko-8": ["고속버스", "첫차", "express bus"],                       # unrelated: buses
    "n9-oos-en-1": ["insurance", "보험"],                                   # travel insurance
    "n9-oos-en-2": ["printing", "print", "인쇄"],                           # poster printing
    "n9-oos-en-3": ["overtime", "working hours", "초과근무", "근무시간"],        # training as overtime
    "n9-oos-en-4": ["CPR", "first aid", "심폐소생술", "응급처치"],              # first aid course
    "n9-oos-en-5": ["startup", "start-up", "spin-off", "spinoff", "창업"],    # licensing to a startup
    "n9-oos-en-6": ["copyright", "저작권"],                                  # software copyright
    "n9-oos-en-7": ["TOPIK", "토픽", "한국어능력시험"],                         # TOPIK preparation
    "n9-oos-en-8": ["ramen", "라멘", "라면", "맛집"],                          # unrelated: food
}


if __name__ == "__main__":
    sys.exit(validate(HERE, "n9", TOPICS, OOS_TERMS))
