"""Validate the notices10 fixture: docs/ (four fictional notices: a Korean PDF, an English TXT,
a Korean DOCX and an English PDF) and questions.yaml, with the checks of ../notice_fixture.py.

Run:  python benchmarks/eval/notices10/validate.py   (needs python-docx, pypdf and PyYAML)
Exit code 0 when every check passes, 1 otherwise (each failure is printed).
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from notice_fixture import validate  # noqa: E402

TOPICS = {  # topic slug used in ids -> notice file stem
    "oa": "innocore-open-access",
    "fair": "innocore-career-fair",
    "leave": "innocore-parental-leave",
    "editing": "innocore-english-editing",
}

FORMATS = {".ko.pdf", ".en.txt", ".ko.docx", ".en.pdf"}

# Key detail words of each out-of-scope question: none may occur in a notice or in knowledge/.
# ASCII terms match as whole words (case-insensitive); others as substrings.
OOS_TERMS = {
    "n10-oos-ko-1": ["면제", "감면", "할인", "waiver", "discount"],         # publisher APC waiver
    "n10-oos-ko-2": ["데이터셋", "데이터 저장소", "dataset", "datasets",
                     "Zenodo", "Dryad"],                                    # data repository fees
    "n10-oos-ko-3": ["삼성", "Samsung"],                                    # a named exhibitor
    "n10-oos-ko-4": ["통역", "interpreter", "interpreters", "interpretation"],  # interpreting
    "n10-oos-ko-5": ["베이비시터", "돌보미", "babysitter", "nanny"],          # babysitter costs
    "n10-oos-ko-6": ["표절", "유사도", "plagiarism", "iThenticate",
                     "similarity"],                                         # plagiarism check
    "n10-oos-ko-7": ["KTX", "코레일", "Korail"],                             # unrelated: trains
    "n10-oos-ko-8": ["운전면허", "면허", "driver", "driving licence",
                     "driver's license"],                                   # unrelated: licence
    "n10-oos-en-1": ["tax", "taxable", "income tax", "소득세", "세금"],        # APC and income tax
    "n10-oos-en-2": ["lunch", "meal", "meals", "food", "점심", "식사"],       # lunch at the fair
    "n10-oos-en-3": ["fertility", "IVF", "난임", "시험관"],                   # fertility treatment
    "n10-oos-en-4": ["adoption", "adopt", "adopting", "adopted", "입양"],     # adoption
    "n10-oos-en-5": ["at the same time", "simultaneous", "simultaneously", "at once",
                     "동시에"],                                              # parallel submissions
    "n10-oos-en-6": ["native", "native speaker", "원어민"],                  # editors' background
    "n10-oos-en-7": ["weather", "날씨", "장마", "rainy season"],              # unrelated: weather
    "n10-oos-en-8": ["gym", "fitness", "헬스장"],                             # unrelated: gym
}

if __name__ == "__main__":
    sys.exit(validate(HERE, "n10", TOPICS, OOS_TERMS, FORMATS))
